package xchat.protocol.nip49;

import java.util.Arrays;
import java.util.Objects;
import xchat.protocol.nip19.Bech32;
import xchat.protocol.nip19.Nip19Exception;

/**
 * The parsed form of an {@code ncryptsec} string, before any password is involved: NIP-49's {@code
 * VERSION || LOG_N || SALT || NONCE || KEY_SECURITY_BYTE || CIPHERTEXT}, 91 bytes. Lets a caller
 * see the scrypt cost before paying it.
 */
public record Ncryptsec(
    int logN, byte[] salt, byte[] nonce, KeySecurity keySecurity, byte[] ciphertext) {
  public static final String PREFIX = "ncryptsec";
  public static final int VERSION = 0x02;
  public static final int SALT_BYTES = 16;
  public static final int NONCE_BYTES = 24;
  public static final int CIPHERTEXT_BYTES = 32 + 16;
  static final int LENGTH = 1 + 1 + SALT_BYTES + NONCE_BYTES + 1 + CIPHERTEXT_BYTES;

  public Ncryptsec {
    if (logN < 0 || logN > 255) {
      throw new IllegalArgumentException("log_n must fit in a byte, got " + logN);
    }
    salt = exact(salt, SALT_BYTES, "salt");
    nonce = exact(nonce, NONCE_BYTES, "nonce");
    Objects.requireNonNull(keySecurity, "keySecurity");
    ciphertext = exact(ciphertext, CIPHERTEXT_BYTES, "ciphertext");
  }

  /** Parses and checks the structure; authenticity is checked only when decrypting. */
  public static Ncryptsec parse(String ncryptsec) throws Nip49Exception {
    Bech32.Decoded decoded;
    try {
      decoded = Bech32.decode(ncryptsec);
    } catch (Nip19Exception e) {
      throw new Nip49Exception(Nip49Exception.Reason.INVALID_ENCODING, e.getMessage(), e);
    }
    if (!PREFIX.equals(decoded.hrp())) {
      throw new Nip49Exception(
          Nip49Exception.Reason.WRONG_PREFIX, "expected " + PREFIX + ", got " + decoded.hrp());
    }
    byte[] data = decoded.data();
    if (data.length != LENGTH) {
      throw new Nip49Exception(
          Nip49Exception.Reason.INVALID_LENGTH,
          "expected " + LENGTH + " bytes, got " + data.length);
    }
    if ((data[0] & 0xff) != VERSION) {
      throw new Nip49Exception(
          Nip49Exception.Reason.UNKNOWN_VERSION, "version " + (data[0] & 0xff));
    }
    int offset = 2;
    byte[] salt = Arrays.copyOfRange(data, offset, offset += SALT_BYTES);
    byte[] nonce = Arrays.copyOfRange(data, offset, offset += NONCE_BYTES);
    int securityCode = data[offset++] & 0xff;
    KeySecurity security =
        KeySecurity.ofCode(securityCode)
            .orElseThrow(
                () ->
                    new Nip49Exception(
                        Nip49Exception.Reason.UNKNOWN_KEY_SECURITY,
                        "key security byte " + securityCode));
    byte[] ciphertext = Arrays.copyOfRange(data, offset, LENGTH);
    return new Ncryptsec(data[1] & 0xff, salt, nonce, security, ciphertext);
  }

  /** The 91 bytes NIP-49 bech32-encodes. */
  public byte[] toBytes() {
    byte[] out = new byte[LENGTH];
    int offset = 0;
    out[offset++] = VERSION;
    out[offset++] = (byte) logN;
    System.arraycopy(salt, 0, out, offset, SALT_BYTES);
    offset += SALT_BYTES;
    System.arraycopy(nonce, 0, out, offset, NONCE_BYTES);
    offset += NONCE_BYTES;
    out[offset++] = (byte) keySecurity.code();
    System.arraycopy(ciphertext, 0, out, offset, CIPHERTEXT_BYTES);
    return out;
  }

  public String toBech32() {
    return Bech32.encode(PREFIX, toBytes());
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  @Override
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Ncryptsec that
        && logN == that.logN
        && Arrays.equals(salt, that.salt)
        && Arrays.equals(nonce, that.nonce)
        && keySecurity == that.keySecurity
        && Arrays.equals(ciphertext, that.ciphertext);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(toBytes());
  }

  @Override
  public String toString() {
    return "Ncryptsec[logN=" + logN + ", keySecurity=" + keySecurity + "]";
  }

  private static byte[] exact(byte[] value, int length, String name) {
    Objects.requireNonNull(value, name);
    if (value.length != length) {
      throw new IllegalArgumentException(
          name + " must be " + length + " bytes, got " + value.length);
    }
    return value.clone();
  }
}
