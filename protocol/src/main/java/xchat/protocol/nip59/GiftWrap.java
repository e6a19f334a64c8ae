package xchat.protocol.nip59;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.keys.SecretKey;
import xchat.protocol.nip44.ConversationKey;
import xchat.protocol.nip44.Nip44;

/**
 * NIP-59 sealing and wrapping. Randomness and time are injected so that a simulation can replay a
 * run exactly; in production they are a {@code SecureRandom} and the system clock.
 */
public final class GiftWrap {
  public static final int SEAL_KIND = 13;
  public static final int WRAP_KIND = 1059;
  /** NIP-59: seal and wrap timestamps are randomised up to two days into the past. */
  public static final long MAX_BACKDATE_SECONDS = 2 * 24 * 60 * 60;

  private final Secp256k1 curve;
  private final RandomGenerator random;
  private final LongSupplier nowSeconds;

  public GiftWrap(Secp256k1 curve, RandomGenerator random, LongSupplier nowSeconds) {
    this.curve = curve;
    this.random = random;
    this.nowSeconds = nowSeconds;
  }

  /** Seals then wraps one rumor for one recipient (which may be the author, for the self copy). */
  public NostrEvent sealAndWrap(Rumor rumor, KeyPair author, PublicKey recipient, List<Tag> extraWrapTags) {
    return wrap(seal(rumor, author, recipient, extraWrapTags), recipient, extraWrapTags);
  }

  /**
   * A kind-13 seal signed by the author. {@code extraTags} are only expiration-style tags that
   * NIP-17 asks to repeat on the seal; NIP-59 otherwise requires empty seal tags.
   */
  public NostrEvent seal(Rumor rumor, KeyPair author, PublicKey recipient, List<Tag> extraTags) {
    if (!rumor.event().pubkey().equals(author.publicKey())) {
      throw new IllegalArgumentException("the rumor's pubkey must be the author's");
    }
    ConversationKey key = conversationKey(author.secretKey(), recipient);
    String content = Nip44.encrypt(EventJson.toJson(rumor), key, random);
    UnsignedEvent seal =
        new UnsignedEvent(author.publicKey(), randomPast(), SEAL_KIND, new Tags(extraTags), content);
    return seal.sign(author, curve, auxRandom());
  }

  /** A kind-1059 wrap of a seal, signed by a fresh ephemeral key. */
  public NostrEvent wrap(NostrEvent seal, PublicKey recipient, List<Tag> extraTags) {
    KeyPair ephemeral = KeyPair.generate(random, curve);
    try {
      ConversationKey key = conversationKey(ephemeral.secretKey(), recipient);
      String content = Nip44.encrypt(EventJson.toJson(seal), key, random);
      Tags tags = Tags.of(Tag.of("p", recipient.hex()));
      for (Tag extra : extraTags) {
        tags = tags.with(extra);
      }
      UnsignedEvent wrap =
          new UnsignedEvent(ephemeral.publicKey(), randomPast(), WRAP_KIND, tags, content);
      return wrap.sign(ephemeral, curve, auxRandom());
    } finally {
      ephemeral.secretKey().destroy();
    }
  }

  private ConversationKey conversationKey(SecretKey secret, PublicKey peer) {
    byte[] raw = secret.bytes();
    try {
      return Nip44.conversationKey(curve, raw, peer.bytes());
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  private long randomPast() {
    return Math.max(0, nowSeconds.getAsLong() - random.nextLong(MAX_BACKDATE_SECONDS + 1));
  }

  private byte[] auxRandom() {
    byte[] aux = new byte[32];
    random.nextBytes(aux);
    return aux;
  }
}
