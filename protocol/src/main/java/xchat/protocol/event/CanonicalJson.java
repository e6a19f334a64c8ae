package xchat.protocol.event;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import xchat.protocol.keys.PublicKey;

/**
 * NIP-01 canonical serialisation {@code [0,pubkey,created_at,kind,tags,content]} and the event id
 * as its SHA-256.
 */
public final class CanonicalJson {
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(CanonicalJson::newSha256);

  private CanonicalJson() {}

  public static byte[] serialize(
      PublicKey pubkey, long createdAt, int kind, Tags tags, String content) {
    return write(pubkey, createdAt, kind, tags, content).toByteArray();
  }

  private static Utf8Buffer write(
      PublicKey pubkey, long createdAt, int kind, Tags tags, String content) {
    Utf8Buffer out = new Utf8Buffer(128 + content.length() + 80 * tags.size());
    out.ascii("[0,\"").ascii(pubkey.hex()).ascii("\",").ascii(Long.toString(createdAt)).ascii(",");
    out.ascii(Integer.toString(kind)).ascii(",[");
    boolean firstTag = true;
    for (Tag tag : tags.list()) {
      if (!firstTag) {
        out.ascii(",");
      }
      firstTag = false;
      out.ascii("[");
      boolean firstValue = true;
      for (String value : tag.values()) {
        if (!firstValue) {
          out.ascii(",");
        }
        firstValue = false;
        out.string(value);
      }
      out.ascii("]");
    }
    out.ascii("],");
    out.string(content);
    out.ascii("]");
    return out;
  }

  public static EventId id(PublicKey pubkey, long createdAt, int kind, Tags tags, String content) {
    Utf8Buffer out = write(pubkey, createdAt, kind, tags, content);
    MessageDigest digest = SHA256.get();
    digest.reset();
    digest.update(out.bytes, 0, out.size);
    return new EventId(digest.digest());
  }

  public static byte[] sha256(byte[] data) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    return digest.digest(data);
  }

  /** A growable UTF-8 buffer; the serialisation is written once, with no intermediate String. */
  private static final class Utf8Buffer {
    private byte[] bytes;
    private int size;

    Utf8Buffer(int capacity) {
      bytes = new byte[capacity];
    }

    Utf8Buffer ascii(String text) {
      ensure(text.length());
      for (int i = 0; i < text.length(); i++) {
        bytes[size++] = (byte) text.charAt(i);
      }
      return this;
    }

    // NIP-01: exactly these seven characters are escaped; every other character is verbatim.
    void string(String value) {
      int n = value.length();
      ensure(n + 2);
      bytes[size++] = '"';
      int i = 0;
      // Printable ASCII needs no escape and one byte a character: all of a hex id or a base64
      // payload, and most text. The rest is written by the general loop, after a larger ensure.
      for (; i < n; i++) {
        char c = value.charAt(i);
        if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
          break;
        }
        bytes[size++] = (byte) c;
      }
      if (i < n) {
        ensure((n - i) * 3 + 1);
        escaped(value, i);
      }
      bytes[size++] = '"';
    }

    private void escaped(String value, int from) {
      for (int i = from; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < 0x80) {
          switch (c) {
            case '\n' -> escape('n');
            case '"' -> escape('"');
            case '\\' -> escape('\\');
            case '\r' -> escape('r');
            case '\t' -> escape('t');
            case '\b' -> escape('b');
            case '\f' -> escape('f');
            default -> bytes[size++] = (byte) c;
          }
        } else if (c < 0x800) {
          bytes[size++] = (byte) (0xc0 | (c >> 6));
          bytes[size++] = (byte) (0x80 | (c & 0x3f));
        } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
            && Character.isLowSurrogate(value.charAt(i + 1))) {
          int codePoint = Character.toCodePoint(c, value.charAt(++i));
          bytes[size++] = (byte) (0xf0 | (codePoint >> 18));
          bytes[size++] = (byte) (0x80 | ((codePoint >> 12) & 0x3f));
          bytes[size++] = (byte) (0x80 | ((codePoint >> 6) & 0x3f));
          bytes[size++] = (byte) (0x80 | (codePoint & 0x3f));
        } else if (Character.isSurrogate(c)) {
          throw new IllegalArgumentException("unpaired surrogate cannot be serialised");
        } else {
          bytes[size++] = (byte) (0xe0 | (c >> 12));
          bytes[size++] = (byte) (0x80 | ((c >> 6) & 0x3f));
          bytes[size++] = (byte) (0x80 | (c & 0x3f));
        }
      }
    }

    private void escape(char c) {
      bytes[size++] = '\\';
      bytes[size++] = (byte) c;
    }

    private void ensure(int extra) {
      if (size + extra > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
      }
    }

    byte[] toByteArray() {
      return Arrays.copyOf(bytes, size);
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
