package xchat.protocol.message;

import xchat.protocol.hex.Hex;

/** Checks shared by the message records. */
final class Text {
  private Text() {}

  /** A string that can be written as UTF-8: no unpaired surrogates. */
  static String requireText(String value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " must not be null");
    }
    if (!isEncodable(value)) {
      throw new IllegalArgumentException(field + " has an unpaired surrogate");
    }
    return value;
  }

  static boolean isEncodable(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** NIP-77 payloads: non-empty, even-length, lower-case hex. */
  static String requireNegentropyHex(String hex, String field) {
    if (!isNegentropyHex(hex)) {
      throw new IllegalArgumentException(field + " must be non-empty lower-case hex");
    }
    return hex;
  }

  static boolean isNegentropyHex(String hex) {
    return hex != null && !hex.isEmpty() && (hex.length() & 1) == 0
        && Hex.isLowerHex(hex, hex.length() / 2);
  }
}
