package xchat.protocol.nip19;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/** Validation shared by the entity records: 32-byte values, relay URLs, kinds, UTF-8. */
final class Fields {
  static final int KEY_LENGTH = 32;
  static final long MAX_KIND = 0xffff_ffffL;
  static final int MAX_TLV_VALUE = 255;

  private Fields() {}

  static byte[] copy32(byte[] value, String name) {
    Objects.requireNonNull(value, name);
    if (value.length != KEY_LENGTH) {
      throw new IllegalArgumentException(
          name + " must be " + KEY_LENGTH + " bytes, got " + value.length);
    }
    return value.clone();
  }

  static long kind(long kind) {
    if (kind < 0 || kind > MAX_KIND) {
      throw new IllegalArgumentException("kind must be a u32, got " + kind);
    }
    return kind;
  }

  static List<String> relays(List<String> relays) {
    List<String> copy = List.copyOf(Objects.requireNonNull(relays, "relays"));
    for (String relay : copy) {
      int length = utf8(relay, "relay").length;
      if (length == 0) {
        throw new IllegalArgumentException("empty relay URL");
      }
    }
    return copy;
  }

  /** Strict UTF-8 of a TLV string: no lone surrogates, at most 255 bytes. */
  static byte[] utf8(String value, String name) {
    Objects.requireNonNull(value, name);
    byte[] bytes;
    try {
      ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(value));
      bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(name + " is not valid UTF-16 text", e);
    }
    if (bytes.length > MAX_TLV_VALUE) {
      throw new IllegalArgumentException(
          name + " is " + bytes.length + " bytes of UTF-8, TLV limit " + MAX_TLV_VALUE);
    }
    return bytes;
  }

  static String decodeUtf8(byte[] bytes, String name) throws Nip19Exception {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new Nip19Exception(Nip19Exception.Reason.INVALID_TLV, name + " is not UTF-8");
    }
  }
}
