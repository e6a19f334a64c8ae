package xchat.protocol.message;

import java.nio.charset.StandardCharsets;
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
    return StandardCharsets.UTF_8.newEncoder().canEncode(value);
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
