package xchat.protocol.nip44;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import xchat.protocol.crypto.InvalidKeyException;
import xchat.protocol.hex.Hex;

class Nip44Test {
  private static final TestCurve CURVE = new TestCurve();

  @Test
  void roundTripsRandomTextsAcrossEveryPaddingBucket() throws Exception {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    ConversationKey key = randomKey(random);
    for (int i = 0; i < 300; i++) {
      int codePoints = 1 + random.nextInt(i < 250 ? 600 : 16000);
      String plaintext = randomText(random, codePoints);
      if (plaintext.getBytes(StandardCharsets.UTF_8).length > Nip44.MAX_PLAINTEXT_BYTES) {
        continue;
      }
      String payload = Nip44.encrypt(plaintext, key, random);
      assertEquals(plaintext, Nip44.decrypt(payload, key), "seed " + seed + " iteration " + i);
    }
  }

  @Test
  void concurrentCallersDoNotShareCipherState() throws Exception {
    long seed = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> failures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        long threadSeed = seed + t;
        failures.add(
            pool.submit(
                () -> {
                  SplittableRandom random = new SplittableRandom(threadSeed);
                  ConversationKey key = randomKey(random);
                  for (int i = 0; i < 2000; i++) {
                    String plaintext = randomText(random, 1 + random.nextInt(200));
                    if (!plaintext.equals(
                        Nip44.decrypt(Nip44.encrypt(plaintext, key, random), key))) {
                      return "thread seed " + threadSeed + " iteration " + i;
                    }
                  }
                  return null;
                }));
      }
      for (Future<String> failure : failures) {
        assertNull(failure.get(60, TimeUnit.SECONDS), "seed " + seed);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void conversationKeyIsTheSameFromBothSides() {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 20; i++) {
      byte[] a = randomSecret(random);
      byte[] b = randomSecret(random);
      assertEquals(
          Nip44.conversationKey(CURVE, a, CURVE.xOnlyPublicKey(b)),
          Nip44.conversationKey(CURVE, b, CURVE.xOnlyPublicKey(a)),
          "seed " + seed + " iteration " + i);
    }
  }

  @Test
  void seededGeneratorGivesReproduciblePayloadsAndFreshNonces() {
    ConversationKey key = new ConversationKey(bytes(32, 7));
    String first = Nip44.encrypt("hello", key, new SplittableRandom(42));
    String replay = Nip44.encrypt("hello", key, new SplittableRandom(42));
    SplittableRandom shared = new SplittableRandom(42);
    String one = Nip44.encrypt("hello", key, shared);
    String two = Nip44.encrypt("hello", key, shared);
    assertEquals(first, replay);
    assertNotEquals(one, two);
  }

  @Test
  void rejectsEverySingleFlippedByte() throws Exception {
    ConversationKey key = new ConversationKey(bytes(32, 1));
    byte[] data = Base64.getDecoder().decode(Nip44.encrypt("attack at dawn", key, bytes(32, 2)));
    for (int i = 0; i < data.length; i++) {
      byte[] tampered = data.clone();
      tampered[i] ^= 0x01;
      String payload = Base64.getEncoder().encodeToString(tampered);
      Nip44Exception e = assertThrows(Nip44Exception.class, () -> Nip44.decrypt(payload, key));
      assertEquals(
          i == 0 ? Nip44Exception.Reason.UNKNOWN_VERSION : Nip44Exception.Reason.INVALID_MAC,
          e.reason(),
          "flipped byte " + i);
    }
  }

  @Test
  void rejectsPayloadUnderAnotherConversationKey() throws Exception {
    String payload = Nip44.encrypt("secret", new ConversationKey(bytes(32, 1)), bytes(32, 2));
    Nip44Exception e =
        assertThrows(
            Nip44Exception.class, () -> Nip44.decrypt(payload, new ConversationKey(bytes(32, 3))));
    assertEquals(Nip44Exception.Reason.INVALID_MAC, e.reason());
  }

  @Test
  void rejectsOversizedPayloadBeforeDecodingIt() {
    ConversationKey key = new ConversationKey(bytes(32, 1));
    String oversized = "A".repeat(87_473);
    Nip44Exception e = assertThrows(Nip44Exception.class, () -> Nip44.decrypt(oversized, key));
    assertEquals(Nip44Exception.Reason.INVALID_LENGTH, e.reason());
  }

  @Test
  void decryptsTheLargestPlaintext() throws Exception {
    ConversationKey key = new ConversationKey(bytes(32, 1));
    String plaintext = "z".repeat(Nip44.MAX_PLAINTEXT_BYTES);
    String payload = Nip44.encrypt(plaintext, key, bytes(32, 2));
    assertEquals(87_472, payload.length());
    assertEquals(plaintext, Nip44.decrypt(payload, key));
  }

  @Test
  void rejectsAuthenticPayloadWithZeroLengthPrefix() {
    ConversationKey key = new ConversationKey(bytes(32, 1));
    String payload = reauthenticated(key, bytes(32, 2), "a", 0, new byte[] {0, 0});
    Nip44Exception e = assertThrows(Nip44Exception.class, () -> Nip44.decrypt(payload, key));
    assertEquals(Nip44Exception.Reason.INVALID_PADDING, e.reason());
  }

  @Test
  void rejectsAuthenticPayloadWhosePrefixOverrunsThePadding() {
    ConversationKey key = new ConversationKey(bytes(32, 1));
    String payload = reauthenticated(key, bytes(32, 2), "a", 0, new byte[] {0, 33});
    Nip44Exception e = assertThrows(Nip44Exception.class, () -> Nip44.decrypt(payload, key));
    assertEquals(Nip44Exception.Reason.INVALID_PADDING, e.reason());
  }

  @Test
  void rejectsAuthenticPayloadWithInvalidUtf8() {
    ConversationKey key = new ConversationKey(bytes(32, 1));
    String payload = reauthenticated(key, bytes(32, 2), "ab", 2, new byte[] {(byte) 0xff});
    Nip44Exception e = assertThrows(Nip44Exception.class, () -> Nip44.decrypt(payload, key));
    assertEquals(Nip44Exception.Reason.INVALID_UTF8, e.reason());
  }

  @Test
  void refusesPlaintextWithUnpairedSurrogate() {
    ConversationKey key = new ConversationKey(bytes(32, 1));
    InvalidPlaintextException e =
        assertThrows(
            InvalidPlaintextException.class, () -> Nip44.encrypt("a\ud83c", key, bytes(32, 2)));
    assertEquals(InvalidPlaintextException.Reason.UNPAIRED_SURROGATE, e.reason());
  }

  @Test
  void refusesNonceOfWrongLength() {
    ConversationKey key = new ConversationKey(bytes(32, 1));
    assertThrows(IllegalArgumentException.class, () -> Nip44.encrypt("a", key, new byte[31]));
  }

  @Test
  void refusesKeysOfWrongLengthAsInvalidKeys() {
    byte[] secret = Hex.decode("0000000000000000000000000000000000000000000000000000000000000001");
    byte[] pub = CURVE.xOnlyPublicKey(secret);
    assertThrows(InvalidKeyException.class, () -> Nip44.conversationKey(CURVE, new byte[31], pub));
    assertThrows(
        InvalidKeyException.class, () -> Nip44.conversationKey(CURVE, secret, new byte[33]));
  }

  @Test
  void conversationKeyCopiesItsBytesAndNeverPrintsThem() {
    byte[] raw = bytes(32, 9);
    ConversationKey key = new ConversationKey(raw);
    raw[0] = 0;
    key.bytes()[1] = 0;
    assertArrayEquals(bytes(32, 9), key.bytes());
    assertFalse(key.toString().contains(Hex.encode(bytes(32, 9)).substring(0, 8)));
    assertTrue(key.toString().contains("redacted"));
    assertThrows(IllegalArgumentException.class, () -> new ConversationKey(new byte[16]));
  }

  /**
   * Encrypts {@code plaintext}, overwrites decrypted bytes at {@code offset} of the padded
   * plaintext with {@code patch} (by XOR on the ciphertext), and recomputes the MAC, so the payload
   * is authentic but malformed inside.
   */
  private static String reauthenticated(
      ConversationKey key, byte[] nonce, String plaintext, int offset, byte[] patch) {
    byte[] data = Base64.getDecoder().decode(Nip44.encrypt(plaintext, key, nonce));
    byte[] padded = ("\0" + (char) plaintext.length() + plaintext).getBytes(StandardCharsets.UTF_8);
    int ciphertextOffset = 1 + 32;
    for (int i = 0; i < patch.length; i++) {
      data[ciphertextOffset + offset + i] ^= (byte) (padded[offset + i] ^ patch[i]);
    }
    MessageKeys keys = MessageKeys.derive(key, nonce);
    HMac mac = new HMac(new SHA256Digest());
    mac.init(new KeyParameter(keys.hmacKey()));
    mac.update(data, 1, data.length - 1 - 32);
    mac.doFinal(data, data.length - 32);
    return Base64.getEncoder().encodeToString(data);
  }

  private static String randomText(SplittableRandom random, int codePoints) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < codePoints; i++) {
      int kind = random.nextInt(4);
      int codePoint =
          switch (kind) {
            case 0 -> 0x20 + random.nextInt(0x5f);
            case 1 -> 0xa0 + random.nextInt(0x700);
            case 2 -> 0x3040 + random.nextInt(0x1000);
            default -> 0x1f300 + random.nextInt(0x300);
          };
      text.appendCodePoint(codePoint);
    }
    return text.toString();
  }

  private static ConversationKey randomKey(SplittableRandom random) {
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    return new ConversationKey(raw);
  }

  private static byte[] randomSecret(SplittableRandom random) {
    byte[] secret = new byte[32];
    do {
      random.nextBytes(secret);
    } while (!CURVE.isValidSecretKey(secret));
    return secret;
  }

  private static byte[] bytes(int length, int fill) {
    byte[] out = new byte[length];
    Arrays.fill(out, (byte) fill);
    return out;
  }
}
