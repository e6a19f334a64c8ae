package xchat.persistence.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class AeadTest {
  private static final byte[] CONTEXT = "\u0003log".getBytes(StandardCharsets.US_ASCII);

  private static byte[] key(long seed) {
    byte[] key = new byte[32];
    new Random(seed).nextBytes(key);
    return key;
  }

  @Test
  void sealedValueOpensWithTheSameContextAndKey() throws Exception {
    try (Aead aead = new Aead(key(1))) {
      byte[] plaintext = "hello".getBytes(StandardCharsets.UTF_8);
      byte[] sealed = aead.seal(plaintext, CONTEXT, new byte[] {1, 2});
      assertEquals(plaintext.length + Aead.OVERHEAD, sealed.length);
      assertArrayEquals(plaintext, aead.open(sealed, CONTEXT, new byte[] {1, 2}));
    }
  }

  @Test
  void formatIsVersionNonceCiphertextTagAsStandardAesGcm() throws Exception {
    byte[] key = key(2);
    byte[] plaintext = new byte[100];
    new Random(2).nextBytes(plaintext);
    try (Aead aead = new Aead(key)) {
      byte[] sealed = aead.seal(plaintext, CONTEXT, new byte[] {7});
      assertEquals(Aead.FORMAT_AES256_GCM, sealed[0]);
      Cipher reference = Cipher.getInstance("AES/GCM/NoPadding");
      reference.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, sealed, 1, 12));
      reference.updateAAD(CONTEXT);
      reference.updateAAD(new byte[] {7});
      assertArrayEquals(plaintext, reference.doFinal(sealed, 13, sealed.length - 13));
    }
  }

  @Test
  void everyFlippedBitIsRejected() {
    try (Aead aead = new Aead(key(3))) {
      byte[] sealed = aead.seal("abc".getBytes(StandardCharsets.UTF_8), CONTEXT, new byte[] {9});
      for (int bit = 0; bit < sealed.length * 8; bit++) {
        byte[] tampered = sealed.clone();
        tampered[bit / 8] ^= (byte) (1 << (bit % 8));
        int flipped = bit;
        assertThrows(TagMismatchException.class, () -> aead.open(tampered, CONTEXT, new byte[] {9}), "bit " + flipped);
      }
    }
  }

  @Test
  void associatedDataBindsContextAndKey() throws Exception {
    try (Aead aead = new Aead(key(4))) {
      byte[] sealed = aead.seal(new byte[] {42}, CONTEXT, new byte[] {1});
      assertThrows(TagMismatchException.class, () -> aead.open(sealed, CONTEXT, new byte[] {2}));
      assertThrows(TagMismatchException.class, () -> aead.open(sealed, "\u0003tom".getBytes(StandardCharsets.US_ASCII), new byte[] {1}));
      assertThrows(TagMismatchException.class, () -> aead.open(Arrays.copyOf(sealed, 10), CONTEXT, new byte[] {1}));
      try (Aead other = new Aead(key(5))) {
        assertThrows(TagMismatchException.class, () -> other.open(sealed, CONTEXT, new byte[] {1}));
      }
    }
  }

  @Test
  void reusedAssociatedDataBufferAuthenticatesExactlyContextAndKeyOfEachCall() throws Exception {
    long seed = 11;
    Random random = new Random(seed);
    byte[] key = key(seed);
    // Lengths go up past the buffer's first size and back down, so a later call finds stale
    // bytes of a longer key behind its own in the reused buffer.
    int[] keyLengths = {0, 16, 40, 600, 3, 300, 1, 33};
    try (Aead aead = new Aead(key)) {
      for (int keyLength : keyLengths) {
        byte[] storeKey = new byte[keyLength];
        random.nextBytes(storeKey);
        byte[] plaintext = new byte[random.nextInt(2000)];
        random.nextBytes(plaintext);
        byte[] sealed = aead.seal(plaintext, CONTEXT, storeKey);
        Cipher reference = Cipher.getInstance("AES/GCM/NoPadding");
        reference.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, sealed, 1, 12));
        reference.updateAAD(CONTEXT);
        reference.updateAAD(storeKey);
        assertArrayEquals(plaintext, reference.doFinal(sealed, 13, sealed.length - 13), "seed " + seed + ", key length " + keyLength);

        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        Cipher fresh = Cipher.getInstance("AES/GCM/NoPadding");
        fresh.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        fresh.updateAAD(CONTEXT);
        fresh.updateAAD(storeKey);
        byte[] byReference = new byte[Aead.OVERHEAD + plaintext.length];
        byReference[0] = Aead.FORMAT_AES256_GCM;
        System.arraycopy(nonce, 0, byReference, 1, 12);
        fresh.doFinal(plaintext, 0, plaintext.length, byReference, 13);
        assertArrayEquals(plaintext, aead.open(byReference, CONTEXT, storeKey), "seed " + seed + ", key length " + keyLength);
        if (keyLength > 0) {
          byte[] shorter = Arrays.copyOf(storeKey, keyLength - 1);
          assertThrows(TagMismatchException.class, () -> aead.open(byReference, CONTEXT, shorter), "seed " + seed);
        }
      }
    }
  }

  @Test
  void noncesNeverRepeatAcrossManyPoolRefills() {
    // Nonces.BUFFER / 12 nonces per draw from the DRBG: 50 000 values span about 100 refills.
    try (Aead aead = new Aead(key(12))) {
      Set<String> nonces = new HashSet<>();
      byte[] plaintext = new byte[1000];
      for (int i = 0; i < 50_000; i++) {
        byte[] sealed = aead.seal(plaintext, CONTEXT, new byte[] {(byte) i});
        assertTrue(nonces.add(Arrays.toString(Arrays.copyOfRange(sealed, 1, 13))), "nonce repeated at value " + i);
      }
    }
  }

  @Test
  void noncesAreFreshForEveryValue() {
    try (Aead aead = new Aead(key(6))) {
      Set<String> nonces = new HashSet<>();
      for (int i = 0; i < 10_000; i++) {
        byte[] sealed = aead.seal(new byte[0], CONTEXT, new byte[0]);
        nonces.add(Arrays.toString(Arrays.copyOfRange(sealed, 1, 13)));
      }
      assertEquals(10_000, nonces.size());
    }
  }

  @Test
  void closedKeyIsWipedAndRefusesWork() {
    byte[] key = key(7);
    Aead aead = new Aead(key);
    assertFalse(aead.isClosed());
    aead.close();
    assertTrue(aead.isClosed());
    assertThrows(IllegalStateException.class, () -> aead.seal(new byte[1], CONTEXT, new byte[0]));
  }

  @Test
  void wipeableKeyOwnsTheOnlyCopy() {
    byte[] bytes = key(8);
    WipeableKey key = new WipeableKey("AES", bytes);
    assertArrayEquals(bytes, key.getEncoded());
    key.destroy();
    assertTrue(key.isDestroyed());
    assertArrayEquals(new byte[32], bytes, "destroy zeroes the owned array");
    assertFalse(key.toString().contains(Arrays.toString(bytes)));
  }
}
