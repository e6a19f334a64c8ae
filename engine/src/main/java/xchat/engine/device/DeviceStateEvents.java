package xchat.engine.device;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.random.RandomGenerator;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.nip44.ConversationKey;
import xchat.protocol.nip44.Nip44;
import xchat.protocol.nip44.Nip44Exception;

/**
 * Device state on relays: NIP-78 (kind 30078) application data, NIP-44-encrypted to the account's
 * own key. Each device publishes its whole merged view under its own d tag, so two devices never
 * overwrite each other's document on an addressable-event relay; every device merges them all.
 */
public final class DeviceStateEvents {
  public static final int KIND = 30078;
  public static final String D_PREFIX = "xchat/device-state/";

  private DeviceStateEvents() {}

  public static NostrEvent build(
      DeviceState state, String deviceId, KeyPair me, Secp256k1 curve, RandomGenerator random, long createdAt) {
    String plaintext = new String(state.toJson(), StandardCharsets.UTF_8);
    String content = Nip44.encrypt(plaintext, selfKey(me, curve), random);
    UnsignedEvent unsigned = new UnsignedEvent(
        me.publicKey(), createdAt, KIND, Tags.of(Tag.of("d", D_PREFIX + deviceId)), content);
    byte[] aux = new byte[32];
    random.nextBytes(aux);
    return unsigned.sign(me, curve, aux);
  }

  /**
   * The state in a document from this account, checking its signature; empty for another app's
   * NIP-78 data, a forgery, or a document this version cannot read.
   */
  public static Optional<DeviceState> open(NostrEvent event, KeyPair me, Secp256k1 curve) {
    if (event.kind() != KIND || !event.pubkey().equals(me.publicKey())) {
      return Optional.empty();
    }
    Optional<String> d = event.tags().first("d");
    if (d.isEmpty() || !d.get().startsWith(D_PREFIX) || !event.hasValidSignature(curve)) {
      return Optional.empty();
    }
    try {
      String json = Nip44.decrypt(event.content(), selfKey(me, curve));
      return Optional.of(DeviceState.fromJson(json.getBytes(StandardCharsets.UTF_8)));
    } catch (Nip44Exception | DeviceState.FormatException e) {
      return Optional.empty();
    }
  }

  private static ConversationKey selfKey(KeyPair me, Secp256k1 curve) {
    byte[] secret = me.secretKey().bytes();
    try {
      return Nip44.conversationKey(curve, secret, me.publicKey().bytes());
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }
}
