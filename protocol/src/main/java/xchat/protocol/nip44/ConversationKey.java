package xchat.protocol.nip44;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * The NIP-44 v2 long-term key between two users: {@code HKDF-extract(salt="nip44-v2",
 * ikm=shared_x)}. It is the same in both directions, {@code conv(a, B) == conv(b, A)}.
 */
public record ConversationKey(byte[] bytes) {
  public static final int LENGTH = 32;

  public ConversationKey {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "conversation key must be " + LENGTH + " bytes, got " + bytes.length);
    }
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ConversationKey that && MessageDigest.isEqual(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Never prints key material. */
  @Override
  public String toString() {
    return "ConversationKey[redacted]";
  }
}
