package xchat.protocol.nip19;

import java.security.MessageDigest;
import java.util.Arrays;
import xchat.protocol.hex.Hex;

/** A bare secret key (32 bytes). Its range is not checked here: that needs the curve. */
public record Nsec(byte[] secretKey) implements Nip19Entity {
  public static final String PREFIX = "nsec";

  public Nsec {
    secretKey = Fields.copy32(secretKey, "secret key");
  }

  public static Nsec ofHex(String secretKeyHex) {
    return new Nsec(Hex.decode(secretKeyHex, Fields.KEY_LENGTH));
  }

  @Override
  public byte[] secretKey() {
    return secretKey.clone();
  }

  public String secretKeyHex() {
    return Hex.encode(secretKey);
  }

  @Override
  public String prefix() {
    return PREFIX;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Nsec that && MessageDigest.isEqual(secretKey, that.secretKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(secretKey);
  }

  /** Never prints the key. */
  @Override
  public String toString() {
    return "Nsec[redacted]";
  }
}
