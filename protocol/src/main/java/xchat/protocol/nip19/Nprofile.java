package xchat.protocol.nip19;

import java.util.Arrays;
import java.util.List;
import xchat.protocol.hex.Hex;

/** A profile: its public key and relays where it is likely found (TLV 0 and 1). */
public record Nprofile(byte[] publicKey, List<String> relays) implements Nip19Entity {
  public static final String PREFIX = "nprofile";

  public Nprofile {
    publicKey = Fields.copy32(publicKey, "public key");
    relays = Fields.relays(relays);
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
    return other instanceof Nprofile that
        && Arrays.equals(publicKey, that.publicKey)
        && relays.equals(that.relays);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(publicKey) + relays.hashCode();
  }

  @Override
  public String toString() {
    return "Nprofile[" + publicKeyHex() + ", relays=" + relays + "]";
  }
}
