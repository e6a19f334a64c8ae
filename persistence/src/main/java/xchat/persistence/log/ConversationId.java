package xchat.persistence.log;

import java.util.Arrays;
import xchat.protocol.hex.Hex;

/**
 * An opaque conversation identifier chosen by the engine (for NIP-17, typically a hash of the
 * participants' pubkeys). It is stored sealed; index keys carry an HMAC of it.
 */
public record ConversationId(byte[] bytes) {
  public static final int MAX_LENGTH = 64;

  public ConversationId {
    if (bytes == null || bytes.length == 0 || bytes.length > MAX_LENGTH) {
      throw new IllegalArgumentException("conversation id must be 1.." + MAX_LENGTH + " bytes");
    }
    bytes = bytes.clone();
  }

  public static ConversationId fromHex(String hex) {
    return new ConversationId(Hex.decode(hex));
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public String hex() {
    return Hex.encode(bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ConversationId that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
