package xchat.persistence;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import xchat.persistence.crypto.ScryptParams;
import xchat.persistence.log.ConversationId;
import xchat.protocol.event.CanonicalJson;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.event.Signature;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.keys.PublicKey;

/** Seeded test data. Signatures are random bytes: the store never verifies them. */
final class Fixtures {
  static final StoreOptions OPTIONS = StoreOptions.defaults().withScrypt(ScryptParams.TEST_ONLY);

  private Fixtures() {}

  static char[] passphrase() {
    return "correct horse battery staple".toCharArray();
  }

  static byte[] bytes(Random random, int length) {
    byte[] out = new byte[length];
    random.nextBytes(out);
    return out;
  }

  static PublicKey pubkey(Random random) {
    return new PublicKey(bytes(random, 32));
  }

  static ConversationId conversation(Random random) {
    return new ConversationId(bytes(random, 32));
  }

  static Rumor rumor(PublicKey author, long createdAt, String content, Tag... tags) {
    return Rumor.of(new UnsignedEvent(author, createdAt, 14, Tags.of(tags), content));
  }

  static Rumor rumor(Random random, long createdAt, String content) {
    return rumor(pubkey(random), createdAt, content, Tag.of("p", pubkey(random).hex()));
  }

  /** A kind-1059 gift wrap shaped event (content is random text, not real NIP-44). */
  static NostrEvent wrap(Random random, long createdAt, PublicKey recipient) {
    PublicKey ephemeral = pubkey(random);
    Tags tags = Tags.of(Tag.of("p", recipient.hex()));
    String content = java.util.Base64.getEncoder().encodeToString(bytes(random, 96));
    EventId id = CanonicalJson.id(ephemeral, createdAt, 1059, tags, content);
    return new NostrEvent(id, ephemeral, createdAt, 1059, tags, content, new Signature(bytes(random, 64)));
  }

  static String text(Random random, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append((char) ('a' + random.nextInt(26)));
    }
    return out.toString();
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
