package xchat.protocol.keys;

import java.util.Arrays;
import xchat.protocol.hex.Hex;

/** A BIP-340 x-only public key: 32 bytes. Whether it lies on the curve is checked where it is used. */
public record PublicKey(byte[] bytes) implements Comparable<PublicKey> {
  public static final int LENGTH = 32;

  public PublicKey {
    if (bytes == null || bytes.length != LENGTH) {
      throw new IllegalArgumentException("public key must be 32 bytes");
    }
    bytes = bytes.clone();
  }

  public static PublicKey fromHex(String hex) {
    return new PublicKey(Hex.decode(hex, LENGTH));
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
    return other instanceof PublicKey that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(PublicKey other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
