package xchat.protocol.nip59;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.EventParseException;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.nip44.ConversationKey;
import xchat.protocol.nip44.Nip44;
import xchat.protocol.nip44.Nip44Exception;

/**
 * The crypto opening a gift wrap cannot avoid, and nothing else: the benches' floor. Per wrap, two
 * Schnorr verifies, one ECDH and two NIP-44 decrypts; seals are parsed and seal keys derived
 * beforehand, as a receiver caches them per sender. Thread-safe: one instance serves many threads.
 */
public final class UnwrapFloor {
  private final List<NostrEvent> wraps;
  private final List<NostrEvent> seals;
  private final Map<PublicKey, ConversationKey> sealKeys;
  private final byte[] secret;
  private final Secp256k1 curve;

  private UnwrapFloor(List<NostrEvent> wraps, List<NostrEvent> seals,
      Map<PublicKey, ConversationKey> sealKeys, byte[] secret, Secp256k1 curve) {
    this.wraps = wraps;
    this.seals = seals;
    this.sealKeys = sealKeys;
    this.secret = secret;
    this.curve = curve;
  }

  /** Opens every wrap once, outside any timing, to keep what a receiver would cache. */
  public static UnwrapFloor prepare(List<NostrEvent> wraps, KeyPair recipient, Secp256k1 curve)
      throws Nip44Exception, EventParseException {
    byte[] secret = recipient.secretKey().bytes();
    List<NostrEvent> seals = new ArrayList<>(wraps.size());
    Map<PublicKey, ConversationKey> sealKeys = new ConcurrentHashMap<>();
    for (NostrEvent wrap : wraps) {
      NostrEvent seal = EventJson.parse(Nip44.decrypt(wrap.content(),
          Nip44.conversationKey(curve, secret, wrap.pubkey().bytes())));
      seals.add(seal);
      sealKeys.computeIfAbsent(seal.pubkey(), k -> Nip44.conversationKey(curve, secret, k.bytes()));
    }
    return new UnwrapFloor(List.copyOf(wraps), seals, sealKeys, secret, curve);
  }

  public int size() {
    return wraps.size();
  }

  /** The unavoidable crypto of wrap {@code index}; throws if the wrap does not open. */
  public void open(int index) throws Nip44Exception {
    NostrEvent wrap = wraps.get(index);
    NostrEvent seal = seals.get(index);
    boolean valid = wrap.hasValidSignature(curve);
    String sealJson = Nip44.decrypt(wrap.content(), Nip44.conversationKey(curve, secret, wrap.pubkey().bytes()));
    valid &= seal.hasValidSignature(curve);
    String rumorJson = Nip44.decrypt(seal.content(), sealKeys.get(seal.pubkey()));
    if (!valid || sealJson.isEmpty() || rumorJson.isEmpty()) {
      throw new IllegalStateException("wrap " + index + " does not open");
    }
  }

  /** Wipes the recipient's secret key copy; {@link #open} must not be called afterwards. */
  public void wipe() {
    Arrays.fill(secret, (byte) 0);
  }
}
