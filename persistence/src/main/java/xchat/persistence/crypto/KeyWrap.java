package xchat.persistence.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * Passphrase → scrypt → key-encryption key, which seals the random master key. Changing the
 * passphrase re-seals the same master key; the data keys, derived from it, do not change.
 */
public final class KeyWrap {
  public static final int SALT_LENGTH = 16;
  private static final byte[] CONTEXT = "xchat/keyring/v1".getBytes(StandardCharsets.US_ASCII);

  private KeyWrap() {}

  /** The sealed master key together with what it takes to unseal it, except the passphrase. */
  public record Wrapped(byte[] salt, ScryptParams params, byte[] sealedMaster) {
    public Wrapped {
      salt = salt.clone();
      sealedMaster = sealedMaster.clone();
    }

    @Override
    public byte[] salt() {
      return salt.clone();
    }

    @Override
    public byte[] sealedMaster() {
      return sealedMaster.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Wrapped that
          && Arrays.equals(salt, that.salt)
          && params.equals(that.params)
          && Arrays.equals(sealedMaster, that.sealedMaster);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(salt) * 31 + Arrays.hashCode(sealedMaster);
    }

    @Override
    public String toString() {
      return "Wrapped[" + params + "]";
    }
  }

  public static byte[] newMasterKey(SecureRandom random) {
    byte[] master = new byte[Aead.KEY_LENGTH];
    random.nextBytes(master);
    return master;
  }

  public static Wrapped wrap(
      byte[] master, char[] passphrase, ScryptParams params, SecureRandom random) {
    byte[] salt = new byte[SALT_LENGTH];
    random.nextBytes(salt);
    byte[] kek = deriveKek(passphrase, salt, params);
    try (Aead aead = new Aead(kek)) {
      return new Wrapped(salt, params, aead.seal(master, CONTEXT, binding(salt, params)));
    } finally {
      Arrays.fill(kek, (byte) 0);
    }
  }

  /**
   * Unseals the master key; the caller wipes it.
   *
   * @throws TagMismatchException when the passphrase is wrong (or the keyring was altered)
   */
  public static byte[] unwrap(Wrapped wrapped, char[] passphrase) throws TagMismatchException {
    byte[] kek = deriveKek(passphrase, wrapped.salt, wrapped.params);
    try (Aead aead = new Aead(kek)) {
      return aead.open(wrapped.sealedMaster, CONTEXT, binding(wrapped.salt, wrapped.params));
    } finally {
      Arrays.fill(kek, (byte) 0);
    }
  }

  // Binding salt and cost parameters into the tag means a keyring edited to cheaper parameters
  // is detected, not silently accepted.
  private static byte[] binding(byte[] salt, ScryptParams params) {
    return ByteBuffer.allocate(salt.length + 12)
        .put(salt)
        .putInt(params.log2N())
        .putInt(params.r())
        .putInt(params.p())
        .array();
  }

  static byte[] deriveKek(char[] passphrase, byte[] salt, ScryptParams params) {
    byte[] secret = utf8(passphrase);
    try {
      return SCrypt.generate(secret, salt, params.n(), params.r(), params.p(), Aead.KEY_LENGTH);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  private static byte[] utf8(char[] passphrase) {
    if (passphrase == null || passphrase.length == 0) {
      throw new IllegalArgumentException("passphrase must not be empty");
    }
    try {
      ByteBuffer encoded =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(passphrase));
      byte[] out = new byte[encoded.remaining()];
      encoded.get(out);
      if (encoded.hasArray()) {
        Arrays.fill(encoded.array(), (byte) 0);
      }
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("passphrase is not valid Unicode");
    }
  }
}
