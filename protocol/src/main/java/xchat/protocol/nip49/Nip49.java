package xchat.protocol.nip49;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.modes.XChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * NIP-49 private key encryption: scrypt(NFKC(password), salt, 2^logN, r=8, p=1) keys an
 * XChaCha20-Poly1305 seal of the 32-byte secret key, with the key security byte as associated data,
 * bech32-encoded as {@code ncryptsec}.
 *
 * <p>Passwords are {@code char[]} so callers can wipe them; this class wipes every buffer it
 * derives from one. One copy escapes: a password that NFKC actually changes passes through an
 * immutable {@code String} inside {@link Normalizer}.
 */
public final class Nip49 {
  /** The largest log_n decrypt accepts by default: NIP-49's table stops at 22 (4 GiB). */
  public static final int DEFAULT_MAX_LOG_N = 22;

  /** scrypt needs N > 1; 2^30 would need 1 TiB. */
  public static final int MIN_LOG_N = 1;

  public static final int MAX_LOG_N = 30;

  private static final int SCRYPT_R = 8;
  private static final int SCRYPT_P = 1;
  private static final int KEY_BYTES = 32;
  private static final int SECRET_KEY_BYTES = 32;
  private static final int TAG_BITS = 128;

  private Nip49() {}

  /**
   * Encrypts with a fresh salt and nonce from {@code random} (a {@code SecureRandom} in
   * production).
   */
  public static String encrypt(
      byte[] secretKey,
      char[] password,
      int logN,
      KeySecurity keySecurity,
      RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    byte[] salt = new byte[Ncryptsec.SALT_BYTES];
    byte[] nonce = new byte[Ncryptsec.NONCE_BYTES];
    random.nextBytes(salt);
    random.nextBytes(nonce);
    return encrypt(secretKey, password, logN, keySecurity, salt, nonce);
  }

  /** Encrypts with the given 16-byte salt and 24-byte nonce; never reuse them. */
  public static String encrypt(
      byte[] secretKey,
      char[] password,
      int logN,
      KeySecurity keySecurity,
      byte[] salt,
      byte[] nonce) {
    Objects.requireNonNull(secretKey, "secretKey");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(keySecurity, "keySecurity");
    if (secretKey.length != SECRET_KEY_BYTES) {
      throw new IllegalArgumentException(
          "secret key must be " + SECRET_KEY_BYTES + " bytes, got " + secretKey.length);
    }
    if (logN < MIN_LOG_N || logN > MAX_LOG_N) {
      throw new IllegalArgumentException(
          "log_n must be in " + MIN_LOG_N + ".." + MAX_LOG_N + ", got " + logN);
    }
    if (salt.length != Ncryptsec.SALT_BYTES || nonce.length != Ncryptsec.NONCE_BYTES) {
      throw new IllegalArgumentException("salt must be 16 bytes and nonce 24 bytes");
    }
    byte[] ciphertext = new byte[Ncryptsec.CIPHERTEXT_BYTES];
    byte[] key = symmetricKey(password, salt, logN);
    try {
      XChaCha20Poly1305 aead = aead(true, key, nonce, keySecurity);
      int written = aead.processBytes(secretKey, 0, SECRET_KEY_BYTES, ciphertext, 0);
      aead.doFinal(ciphertext, written);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("sealing cannot fail authentication", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    return new Ncryptsec(logN, salt, nonce, keySecurity, ciphertext).toBech32();
  }

  /**
   * Decrypts, refusing log_n above {@link #DEFAULT_MAX_LOG_N}. The caller owns (and should wipe)
   * the result.
   */
  public static byte[] decrypt(String ncryptsec, char[] password) throws Nip49Exception {
    return decrypt(ncryptsec, password, DEFAULT_MAX_LOG_N);
  }

  /** Decrypts, refusing log_n above {@code maxLogN} before spending memory on scrypt. */
  public static byte[] decrypt(String ncryptsec, char[] password, int maxLogN)
      throws Nip49Exception {
    return decrypt(Ncryptsec.parse(ncryptsec), password, maxLogN);
  }

  /** Decrypts a parsed {@code ncryptsec}; returns the 32-byte secret key. */
  public static byte[] decrypt(Ncryptsec encrypted, char[] password, int maxLogN)
      throws Nip49Exception {
    Objects.requireNonNull(encrypted, "encrypted");
    Objects.requireNonNull(password, "password");
    int limit = Math.min(maxLogN, MAX_LOG_N);
    if (encrypted.logN() < MIN_LOG_N || encrypted.logN() > limit) {
      throw new Nip49Exception(
          Nip49Exception.Reason.UNSUPPORTED_LOG_N,
          "log_n " + encrypted.logN() + " outside " + MIN_LOG_N + ".." + limit);
    }
    byte[] key = symmetricKey(password, encrypted.salt(), encrypted.logN());
    byte[] ciphertext = encrypted.ciphertext();
    byte[] plaintext = new byte[SECRET_KEY_BYTES];
    try {
      XChaCha20Poly1305 aead = aead(false, key, encrypted.nonce(), encrypted.keySecurity());
      int written = aead.processBytes(ciphertext, 0, ciphertext.length, plaintext, 0);
      aead.doFinal(plaintext, written);
      return plaintext;
    } catch (InvalidCipherTextException e) {
      Arrays.fill(plaintext, (byte) 0);
      throw new Nip49Exception(
          Nip49Exception.Reason.WRONG_PASSWORD, "authentication tag does not verify");
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static XChaCha20Poly1305 aead(
      boolean encrypt, byte[] key, byte[] nonce, KeySecurity keySecurity) {
    XChaCha20Poly1305 aead = new XChaCha20Poly1305();
    KeyParameter keyParameter = new KeyParameter(key);
    byte[] associatedData = {(byte) keySecurity.code()};
    aead.init(encrypt, new AEADParameters(keyParameter, TAG_BITS, nonce, associatedData));
    Arrays.fill(keyParameter.getKey(), (byte) 0);
    return aead;
  }

  private static byte[] symmetricKey(char[] password, byte[] salt, int logN) {
    byte[] passwordBytes = passwordBytes(password);
    try {
      return SCrypt.generate(passwordBytes, salt, 1 << logN, SCRYPT_R, SCRYPT_P, KEY_BYTES);
    } finally {
      Arrays.fill(passwordBytes, (byte) 0);
    }
  }

  /** UTF-8 of the NFKC form of {@code password}, as NIP-49 requires before scrypt. */
  static byte[] passwordBytes(char[] password) {
    CharBuffer chars = CharBuffer.wrap(password);
    if (Normalizer.isNormalized(chars, Normalizer.Form.NFKC)) {
      return utf8(password);
    }
    char[] normalized = Normalizer.normalize(chars, Normalizer.Form.NFKC).toCharArray();
    try {
      return utf8(normalized);
    } finally {
      Arrays.fill(normalized, '\0');
    }
  }

  private static byte[] utf8(char[] chars) {
    CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder();
    ByteBuffer out = ByteBuffer.allocate((int) (chars.length * encoder.maxBytesPerChar()));
    try {
      CoderResult result = encoder.encode(CharBuffer.wrap(chars), out, true);
      if (!result.isUnderflow() || !encoder.flush(out).isUnderflow()) {
        throw new IllegalArgumentException("password contains an unpaired surrogate");
      }
      return Arrays.copyOf(out.array(), out.position());
    } finally {
      Arrays.fill(out.array(), (byte) 0);
    }
  }
}
