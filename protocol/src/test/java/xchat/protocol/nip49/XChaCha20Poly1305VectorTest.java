package xchat.protocol.nip49;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.XChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import xchat.protocol.hex.Hex;

/**
 * Pins Bouncy Castle's XChaCha20-Poly1305 (which NIP-49 relies on) to draft-irtf-cfrg-xchacha-03
 * appendix A.3.1, which also exercises its HChaCha20 subkey derivation.
 */
class XChaCha20Poly1305VectorTest {
  private static final byte[] KEY =
      Hex.decode("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  private static final byte[] NONCE =
      Hex.decode("404142434445464748494a4b4c4d4e4f5051525354555657");
  private static final byte[] AAD = Hex.decode("50515253c0c1c2c3c4c5c6c7");
  private static final byte[] PLAINTEXT =
      ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the"
              + " future, sunscreen would be it.")
          .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CIPHERTEXT_AND_TAG =
      Hex.decode(
          "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb"
              + "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452"
              + "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
              + "21f9664c97637da9768812f615c68b13b52e"
              + "c0875924c1c7987947deafd8780acf49");

  @Test
  void sealsTheDraftVector() throws Exception {
    assertArrayEquals(CIPHERTEXT_AND_TAG, run(true, PLAINTEXT, AAD));
  }

  @Test
  void opensTheDraftVector() throws Exception {
    assertArrayEquals(PLAINTEXT, run(false, CIPHERTEXT_AND_TAG, AAD));
  }

  @Test
  void refusesTheDraftVectorUnderOtherAssociatedData() {
    byte[] otherAad = AAD.clone();
    otherAad[0] ^= 1;
    assertThrows(InvalidCipherTextException.class, () -> run(false, CIPHERTEXT_AND_TAG, otherAad));
  }

  private static byte[] run(boolean encrypt, byte[] input, byte[] aad) throws Exception {
    XChaCha20Poly1305 aead = new XChaCha20Poly1305();
    aead.init(encrypt, new AEADParameters(new KeyParameter(KEY), 128, NONCE, aad));
    byte[] out = new byte[aead.getOutputSize(input.length)];
    int written = aead.processBytes(input, 0, input.length, out, 0);
    written += aead.doFinal(out, written);
    return Arrays.copyOf(out, written);
  }
}
