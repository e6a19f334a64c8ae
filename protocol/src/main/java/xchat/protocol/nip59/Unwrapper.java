package xchat.protocol.nip59;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import xchat.protocol.crypto.InvalidKeyException;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.EventParseException;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.nip44.ConversationKey;
import xchat.protocol.nip44.Nip44;
import xchat.protocol.nip44.Nip44Exception;
import xchat.protocol.nip59.UnwrapResult.Reason;
import xchat.protocol.nip59.UnwrapResult.Rejected;
import xchat.protocol.nip59.UnwrapResult.Unwrapped;

/**
 * Opens gift wraps addressed to one key. It checks both signatures and that the seal's signer wrote
 * the rumor. Seal conversation keys are cached per sender, because a chat partner sends many seals
 * and the ECDH is the costliest step after verification.
 */
public final class Unwrapper {
  private static final int CACHE_CAPACITY = 4096;

  private final KeyPair recipient;
  private final Secp256k1 curve;
  private final Map<PublicKey, ConversationKey> sealKeys =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PublicKey, ConversationKey> eldest) {
          return size() > CACHE_CAPACITY;
        }
      };

  public Unwrapper(KeyPair recipient, Secp256k1 curve) {
    this.recipient = recipient;
    this.curve = curve;
  }

  public PublicKey recipient() {
    return recipient.publicKey();
  }

  public UnwrapResult unwrap(NostrEvent wrap) {
    if (wrap.kind() != GiftWrap.WRAP_KIND) {
      return new Rejected(Reason.NOT_A_GIFT_WRAP, "kind " + wrap.kind() + " is not 1059");
    }
    if (!wrap.tags().values("p").contains(recipient.publicKey().hex())) {
      return new Rejected(Reason.NOT_ADDRESSED_TO_US, "the wrap does not p-tag this key");
    }
    if (!wrap.hasValidSignature(curve)) {
      return new Rejected(Reason.BAD_WRAP_SIGNATURE, "wrap signature does not verify");
    }
    NostrEvent seal;
    try {
      String sealJson = Nip44.decrypt(wrap.content(), conversationKey(wrap.pubkey()));
      seal = EventJson.parse(sealJson);
    } catch (Nip44Exception | InvalidKeyException e) {
      return new Rejected(Reason.WRAP_DECRYPTION_FAILED, describe(e));
    } catch (EventParseException e) {
      return new Rejected(Reason.MALFORMED_SEAL, e.reason().toString());
    }
    if (seal.kind() != GiftWrap.SEAL_KIND) {
      return new Rejected(Reason.NOT_A_SEAL, "kind " + seal.kind() + " is not 13");
    }
    if (seal.tags().list().stream().anyMatch(tag -> !tag.name().equals("expiration"))) {
      return new Rejected(Reason.SEAL_HAS_TAGS, "NIP-59 seals carry no tags");
    }
    if (!seal.hasValidSignature(curve)) {
      return new Rejected(Reason.BAD_SEAL_SIGNATURE, "seal signature does not verify");
    }
    Rumor rumor;
    try {
      String rumorJson = Nip44.decrypt(seal.content(), sealKey(seal.pubkey()));
      rumor = EventJson.parseRumor(rumorJson);
    } catch (Nip44Exception | InvalidKeyException e) {
      return new Rejected(Reason.SEAL_DECRYPTION_FAILED, describe(e));
    } catch (EventParseException e) {
      return new Rejected(Reason.MALFORMED_RUMOR, e.reason().toString());
    }
    // NIP-17: without this check anyone could impersonate anyone by editing the rumor's pubkey.
    if (!rumor.event().pubkey().equals(seal.pubkey())) {
      return new Rejected(Reason.SENDER_MISMATCH, "the rumor's pubkey is not the seal's signer");
    }
    return new Unwrapped(rumor, seal.pubkey(), seal, wrap);
  }

  private ConversationKey sealKey(PublicKey sender) {
    synchronized (sealKeys) {
      ConversationKey cached = sealKeys.get(sender);
      if (cached != null) {
        return cached;
      }
    }
    ConversationKey fresh = conversationKey(sender);
    synchronized (sealKeys) {
      sealKeys.put(sender, fresh);
    }
    return fresh;
  }

  private ConversationKey conversationKey(PublicKey peer) {
    byte[] secret = recipient.secretKey().bytes();
    try {
      return Nip44.conversationKey(curve, secret, peer.bytes());
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  private static String describe(Exception e) {
    return e instanceof Nip44Exception n ? n.reason().toString() : "invalid sender key";
  }
}
