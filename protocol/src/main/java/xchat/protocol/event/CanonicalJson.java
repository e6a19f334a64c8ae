package xchat.protocol.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
    StringBuilder out = new StringBuilder(96 + content.length() + 64 * tags.size());
    out.append("[0,\"").append(pubkey.hex()).append("\",").append(createdAt).append(',');
    out.append(kind).append(",[");
    boolean firstTag = true;
    for (Tag tag : tags.list()) {
      if (!firstTag) {
        out.append(',');
      }
      firstTag = false;
      out.append('[');
      boolean firstValue = true;
      for (String value : tag.values()) {
        if (!firstValue) {
          out.append(',');
        }
        firstValue = false;
        appendString(out, value);
      }
      out.append(']');
    }
    out.append("],");
    appendString(out, content);
    out.append(']');
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static EventId id(PublicKey pubkey, long createdAt, int kind, Tags tags, String content) {
    return new EventId(sha256(serialize(pubkey, createdAt, kind, tags, content)));
  }

  public static byte[] sha256(byte[] data) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    return digest.digest(data);
  }

  // NIP-01: exactly these seven characters are escaped; every other character is verbatim.
  private static void appendString(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> out.append(c);
      }
    }
    out.append('"');
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
