package xchat.protocol.event;

import java.util.Arrays;
import xchat.protocol.hex.Hex;

/** A 64-byte BIP-340 Schnorr signature. */
public record Signature(byte[] bytes) {
  public static final int LENGTH = 64;

  public Signature {
    if (bytes == null || bytes.length != LENGTH) {
      throw new IllegalArgumentException("signature must be 64 bytes");
    }
    bytes = bytes.clone();
  }

  public static Signature fromHex(String hex) {
    return new Signature(Hex.decode(hex, LENGTH));
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
    return other instanceof Signature that && Arrays.equals(bytes, that.bytes);
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
