package xchat.protocol.blossom;

import xchat.protocol.hex.Hex;

/** Blossom names every blob by its SHA-256 in lower-case hex (BUD-01). */
public final class Sha256Hex {
  public static final int LENGTH = 64;

  private Sha256Hex() {}

  public static boolean isValid(String value) {
    return value != null && Hex.isLowerHex(value, 32);
  }

  /** Returns {@code value}, or throws {@link IllegalArgumentException} naming {@code what}. */
  public static String require(String value, String what) {
    if (!isValid(value)) {
      throw new IllegalArgumentException(what + " must be 64 lower-case hex characters");
    }
    return value;
  }
}
