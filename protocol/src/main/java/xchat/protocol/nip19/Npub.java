package xchat.protocol.nip19;

import java.util.Arrays;
import xchat.protocol.hex.Hex;

/** A bare public key (32-byte x-only). */
public record Npub(byte[] publicKey) implements Nip19Entity {
  public static final String PREFIX = "npub";

  public Npub {
    publicKey = Fields.copy32(publicKey, "public key");
  }

  public static Npub ofHex(String publicKeyHex) {
    return new Npub(Hex.decode(publicKeyHex, Fields.KEY_LENGTH));
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  public String publicKeyHex() {
    return Hex.encode(publicKey);
  }

  @Override
  public String prefix() {
    return PREFIX;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Npub that && Arrays.equals(publicKey, that.publicKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "Npub[" + publicKeyHex() + "]";
  }
}
