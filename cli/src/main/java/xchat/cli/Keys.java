package xchat.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.keys.SecretKey;
import xchat.protocol.nip19.Nip19;
import xchat.protocol.nip19.Nip19Exception;
import xchat.protocol.nip19.Npub;
import xchat.protocol.nip19.Nsec;

/** Reads keys as users type them: bech32 (npub/nsec) or 64 hex characters. */
final class Keys {
  static final String NSEC_ENV = "XCHAT_NSEC";

  private Keys() {}

  /** The secret key from {@code --nsec}, else {@code --nsec-file}, else $XCHAT_NSEC. */
  static KeyPair secret(String nsecOption, Path nsecFile, Secp256k1 curve) {
    String text = nsecOption;
    if (text == null && nsecFile != null) {
      try {
        text = Files.readString(nsecFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new UsageException("cannot read the key file " + nsecFile + ": " + e.getClass().getSimpleName());
      }
    }
    if (text == null) {
      text = System.getenv(NSEC_ENV);
    }
    if (text == null || text.isBlank()) {
      throw new UsageException("a secret key is needed: --nsec NSEC, --nsec-file FILE or $" + NSEC_ENV);
    }
    byte[] raw = null;
    try {
      raw = text.startsWith("nsec1") ? Nip19.decode(text.strip(), Nsec.class).secretKey() : Hex.decode(text.strip(), 32);
      return KeyPair.of(SecretKey.of(raw, curve), curve);
    } catch (Nip19Exception | IllegalArgumentException e) {
      throw new UsageException("the secret key is not a valid nsec or 64-character hex key");
    } finally {
      if (raw != null) {
        Arrays.fill(raw, (byte) 0);
      }
    }
  }

  static PublicKey publicKey(String text) {
    String trimmed = text.strip();
    try {
      if (trimmed.startsWith("npub1")) {
        return new PublicKey(Nip19.decode(trimmed, Npub.class).publicKey());
      }
      return PublicKey.fromHex(trimmed);
    } catch (Nip19Exception | IllegalArgumentException e) {
      throw new UsageException("'" + abbreviate(trimmed) + "' is not an npub or a 64-character hex key");
    }
  }

  static List<PublicKey> publicKeys(String commaSeparated) {
    List<PublicKey> keys = new ArrayList<>();
    for (String part : commaSeparated.split(",")) {
      if (!part.isBlank()) {
        keys.add(publicKey(part));
      }
    }
    if (keys.isEmpty()) {
      throw new UsageException("at least one recipient is needed");
    }
    return keys;
  }

  static String npub(PublicKey key) {
    return Nip19.encode(new Npub(key.bytes()));
  }

  private static String abbreviate(String text) {
    return text.length() > 16 ? text.substring(0, 12) + "..." : text;
  }
}
