package xchat.protocol.nip44;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import xchat.protocol.crypto.InvalidKeyException;
import xchat.protocol.crypto.Secp256k1;

/**
 * NIP-44 version 2 encrypted payloads: ECDH, HKDF, padding, ChaCha20, HMAC-SHA256, base64.
 *
 * <p>Stateless and thread-safe. Plaintexts are 1..65535 bytes of UTF-8, the range the published v2
 * test vectors define; the extended u32 length prefix is not produced or accepted.
 */
public final class Nip44 {
  public static final int VERSION = 2;
  public static final int NONCE_BYTES = 32;
  public static final int MIN_PLAINTEXT_BYTES = 1;
  public static final int MAX_PLAINTEXT_BYTES = 65535;

  private static final byte[] SALT = "nip44-v2".getBytes(StandardCharsets.US_ASCII);
  private static final int MAC_BYTES = 32;
  private static final int PREFIX_BYTES = 2;
  private static final int OVERHEAD = 1 + NONCE_BYTES + MAC_BYTES;
  private static final int MIN_DATA_BYTES = OVERHEAD + PREFIX_BYTES + 32;
  private static final int MAX_DATA_BYTES =
      OVERHEAD + PREFIX_BYTES + paddedLength(MAX_PLAINTEXT_BYTES);
  // NIP-44: check the base64 length before decoding, so an oversized payload costs nothing.
  private static final int MIN_PAYLOAD_CHARS = 132;
  private static final int MAX_PAYLOAD_CHARS = 4 * ((MAX_DATA_BYTES + 2) / 3);

  private Nip44() {}

  /**
   * The conversation key between {@code secretKey} and {@code publicKey} (x-only, 32 bytes).
   *
   * @throws InvalidKeyException if either key is malformed, out of range or not on the curve
   */
  public static ConversationKey conversationKey(
      Secp256k1 curve, byte[] secretKey, byte[] publicKey) {
    Objects.requireNonNull(curve, "curve");
    if (secretKey == null || secretKey.length != 32) {
      throw new InvalidKeyException("secret key must be 32 bytes");
    }
    if (publicKey == null || publicKey.length != 32) {
      throw new InvalidKeyException("public key must be 32 bytes");
    }
    byte[] sharedX = curve.ecdhXOnly(secretKey, publicKey);
    try {
      byte[] prk = HmacSha256.extract(SALT, sharedX);
      try {
        return new ConversationKey(prk);
      } finally {
        Arrays.fill(prk, (byte) 0);
      }
    } finally {
      Arrays.fill(sharedX, (byte) 0);
    }
  }

  /**
   * Encrypts with a fresh nonce drawn from {@code random} (a {@code SecureRandom} in production).
   */
  public static String encrypt(String plaintext, ConversationKey key, RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    return encrypt(plaintext, key, nonce);
  }

  /**
   * Encrypts with the given 32-byte nonce. A nonce must never be reused with the same key.
   *
   * @throws InvalidPlaintextException if the plaintext is empty, too long or not encodable
   */
  public static String encrypt(String plaintext, ConversationKey key, byte[] nonce) {
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(nonce, "nonce");
    byte[] unpadded = utf8(plaintext);
    int length = unpadded.length;
    if (length < MIN_PLAINTEXT_BYTES) {
      throw new InvalidPlaintextException(InvalidPlaintextException.Reason.EMPTY, "0 bytes");
    }
    if (length > MAX_PLAINTEXT_BYTES) {
      throw new InvalidPlaintextException(
          InvalidPlaintextException.Reason.TOO_LONG,
          length + " bytes, limit " + MAX_PLAINTEXT_BYTES);
    }
    MessageKeys keys = MessageKeys.derive(key, nonce);
    int ciphertextLength = PREFIX_BYTES + paddedLength(length);
    // Layout: version | nonce | ciphertext | mac, built in place to avoid extra copies.
    byte[] data = new byte[OVERHEAD + ciphertextLength];
    int ciphertextOffset = 1 + NONCE_BYTES;
    data[0] = VERSION;
    System.arraycopy(nonce, 0, data, 1, NONCE_BYTES);
    data[ciphertextOffset] = (byte) (length >>> 8);
    data[ciphertextOffset + 1] = (byte) length;
    System.arraycopy(unpadded, 0, data, ciphertextOffset + PREFIX_BYTES, length);
    Arrays.fill(unpadded, (byte) 0);
    try {
      chacha20(keys, data, ciphertextOffset, ciphertextLength);
      hmac(
          keys, data, 1, NONCE_BYTES + ciphertextLength, data, ciphertextOffset + ciphertextLength);
    } finally {
      keys.wipe();
    }
    return Base64.getEncoder().encodeToString(data);
  }

  /**
   * Decrypts a v2 payload. The caller must have verified the enclosing event's signature first.
   *
   * @throws Nip44Exception with the first check that failed
   */
  public static String decrypt(String payload, ConversationKey key) throws Nip44Exception {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(key, "key");
    int chars = payload.length();
    // NIP-44: '#' flags a future non-base64 encoding, so it is a version error, not bad base64.
    if (chars > 0 && payload.charAt(0) == '#') {
      throw new Nip44Exception(
          Nip44Exception.Reason.UNKNOWN_VERSION, "payload uses a non-base64 encoding");
    }
    if (chars < MIN_PAYLOAD_CHARS || chars > MAX_PAYLOAD_CHARS) {
      throw new Nip44Exception(
          Nip44Exception.Reason.INVALID_LENGTH, "payload has " + chars + " characters");
    }
    byte[] data;
    try {
      data = Base64.getDecoder().decode(payload);
    } catch (IllegalArgumentException e) {
      throw new Nip44Exception(Nip44Exception.Reason.INVALID_BASE64, e.getMessage());
    }
    if (data.length < MIN_DATA_BYTES || data.length > MAX_DATA_BYTES) {
      throw new Nip44Exception(
          Nip44Exception.Reason.INVALID_LENGTH, "payload decodes to " + data.length + " bytes");
    }
    if (data[0] != VERSION) {
      throw new Nip44Exception(
          Nip44Exception.Reason.UNKNOWN_VERSION, "version " + (data[0] & 0xff));
    }
    byte[] nonce = Arrays.copyOfRange(data, 1, 1 + NONCE_BYTES);
    int ciphertextOffset = 1 + NONCE_BYTES;
    int macOffset = data.length - MAC_BYTES;
    int ciphertextLength = macOffset - ciphertextOffset;
    MessageKeys keys = MessageKeys.derive(key, nonce);
    try {
      byte[] expectedMac = new byte[MAC_BYTES];
      hmac(keys, data, 1, NONCE_BYTES + ciphertextLength, expectedMac, 0);
      byte[] actualMac = Arrays.copyOfRange(data, macOffset, data.length);
      if (!MessageDigest.isEqual(expectedMac, actualMac)) {
        throw new Nip44Exception(Nip44Exception.Reason.INVALID_MAC, "MAC does not match");
      }
      chacha20(keys, data, ciphertextOffset, ciphertextLength);
    } finally {
      keys.wipe();
    }
    try {
      return unpad(data, ciphertextOffset, ciphertextLength);
    } finally {
      Arrays.fill(data, (byte) 0);
    }
  }

  /**
   * NIP-44 {@code calc_padded_len}: the padded size of an {@code unpaddedLength}-byte plaintext,
   * without the length prefix. Defined for 1..2^30.
   */
  public static int paddedLength(int unpaddedLength) {
    if (unpaddedLength < 1 || unpaddedLength > (1 << 30)) {
      throw new IllegalArgumentException("length out of range: " + unpaddedLength);
    }
    if (unpaddedLength <= 32) {
      return 32;
    }
    long nextPower = Long.highestOneBit(unpaddedLength - 1L) << 1;
    long chunk = nextPower <= 256 ? 32 : nextPower / 8;
    return Math.toIntExact(chunk * ((unpaddedLength - 1L) / chunk + 1));
  }

  private static String unpad(byte[] data, int offset, int paddedLength) throws Nip44Exception {
    int length = ((data[offset] & 0xff) << 8) | (data[offset + 1] & 0xff);
    // A zero u16 would announce the extended u32 prefix, which v2 vectors treat as invalid.
    if (length < MIN_PLAINTEXT_BYTES
        || PREFIX_BYTES + length > paddedLength
        || paddedLength != PREFIX_BYTES + paddedLength(length)) {
      throw new Nip44Exception(
          Nip44Exception.Reason.INVALID_PADDING,
          "length prefix " + length + " does not fit " + paddedLength + " padded bytes");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(ByteBuffer.wrap(data, offset + PREFIX_BYTES, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Nip44Exception(Nip44Exception.Reason.INVALID_UTF8, "plaintext is not UTF-8");
    }
  }

  private static byte[] utf8(String plaintext) {
    for (int i = 0; i < plaintext.length(); i++) {
      char c = plaintext.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < plaintext.length()
            && Character.isLowSurrogate(plaintext.charAt(i + 1))) {
          i++;
        } else {
          throw new InvalidPlaintextException(
              InvalidPlaintextException.Reason.UNPAIRED_SURROGATE, "at char index " + i);
        }
      }
    }
    return plaintext.getBytes(StandardCharsets.UTF_8);
  }

  /** RFC 8439 ChaCha20 with initial counter 0, in place. */
  private static void chacha20(MessageKeys keys, byte[] buffer, int offset, int length) {
    byte[] okm = keys.okm();
    ChaCha7539Engine engine = new ChaCha7539Engine();
    KeyParameter key = new KeyParameter(okm, 0, MessageKeys.CHACHA_KEY_BYTES);
    byte[] iv =
        Arrays.copyOfRange(
            okm,
            MessageKeys.CHACHA_KEY_BYTES,
            MessageKeys.CHACHA_KEY_BYTES + MessageKeys.CHACHA_NONCE_BYTES);
    engine.init(true, new ParametersWithIV(key, iv));
    engine.processBytes(buffer, offset, length, buffer, offset);
    Arrays.fill(key.getKey(), (byte) 0);
  }

  /** HMAC-SHA256 over {@code nonce || ciphertext}, which sit contiguously in {@code data}. */
  private static void hmac(
      MessageKeys keys, byte[] data, int offset, int length, byte[] out, int outOffset) {
    Mac mac =
        HmacSha256.keyed(
            keys.okm(),
            MessageKeys.CHACHA_KEY_BYTES + MessageKeys.CHACHA_NONCE_BYTES,
            MessageKeys.HMAC_KEY_BYTES);
    mac.update(data, offset, length);
    try {
      mac.doFinal(out, outOffset);
    } catch (ShortBufferException e) {
      throw new IllegalStateException("MAC slot is 32 bytes", e);
    }
  }
}
