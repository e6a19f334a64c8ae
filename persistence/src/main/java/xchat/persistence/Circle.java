package xchat.persistence;

import java.nio.charset.StandardCharsets;
import xchat.persistence.crypto.Aead;
import xchat.persistence.crypto.IdCipher;
import xchat.persistence.crypto.IndexHasher;
import xchat.persistence.crypto.KeyHierarchy.CircleKeys;
import xchat.protocol.event.EventId;

/**
 * An open circle: its key prefix, its keys, and its key layouts. {@code H} is the circle's HMAC,
 * {@code E} its id permutation; times are big-endian.
 */
final class Circle implements AutoCloseable {
  static final int MESSAGE_KEY = Keys.PREFIX + IndexHasher.LENGTH;
  static final int LOG_KEY = Keys.PREFIX + 8;
  static final int CONVERSATION_KEY = Keys.PREFIX + IndexHasher.LENGTH + 8 + IdCipher.LENGTH + 8;
  static final int NEGENTROPY_KEY = Keys.PREFIX + 8 + IdCipher.LENGTH;

  final CircleId id;
  final byte[] prefix;
  final Aead data;
  final IdCipher ids;
  private final IndexHasher index;

  Circle(CircleId id, byte[] prefix, CircleKeys keys) {
    this.id = id;
    this.prefix = prefix;
    this.data = keys.data();
    this.index = keys.index();
    this.ids = keys.ids();
  }

  static byte[] prefixOf(IndexHasher globalIndex, CircleId id) {
    return globalIndex.hash(Keys.DOMAIN_CIRCLE, id.value().getBytes(StandardCharsets.UTF_8));
  }

  byte[] hash(byte domain, byte[] input) {
    return index.hash(domain, input);
  }

  /** {@code prefix || H(domain, input)}. */
  byte[] hashedKey(byte domain, byte[] input) {
    byte[] out = new byte[Keys.PREFIX + IndexHasher.LENGTH];
    System.arraycopy(prefix, 0, out, 0, Keys.PREFIX);
    index.hashInto(domain, input, out, Keys.PREFIX);
    return out;
  }

  /** messages, tombstones, outbox: {@code prefix || H(rumor id)}. */
  byte[] rumorKey(EventId rumorId) {
    return hashedKey(Keys.DOMAIN_RUMOR, rumorId.bytes());
  }

  /** events: {@code prefix || H(event id)}. */
  byte[] eventKey(EventId eventId) {
    return hashedKey(Keys.DOMAIN_EVENT, eventId.bytes());
  }

  /** conversations: {@code prefix || H(conversation)}, the range of one conversation. */
  byte[] conversationPrefix(byte[] conversationId) {
    return hashedKey(Keys.DOMAIN_CONVERSATION, conversationId);
  }

  byte[] encryptId(EventId id) {
    byte[] out = new byte[IdCipher.LENGTH];
    ids.encrypt(id.bytes(), out, 0);
    return out;
  }

  /** Reads the id encrypted at {@code offset} of an index key. */
  EventId decryptIdAt(byte[] key, int offset) {
    byte[] id = new byte[EventId.LENGTH];
    ids.decrypt(key, offset, id);
    return new EventId(id);
  }

  /**
   * log: {@code seq || prefix}. The seq comes first so that every circle appends at one end of
   * the family: with the prefix first, each circle's tail sits at a random place among the others'
   * ranges, and compaction rewrites what lies between instead of moving files.
   */
  byte[] logKey(long seq) {
    byte[] out = new byte[LOG_KEY];
    Keys.putLong(out, 0, seq);
    System.arraycopy(prefix, 0, out, 8, Keys.PREFIX);
    return out;
  }

  /** Whether a log key belongs to this circle. */
  boolean ownsLogKey(byte[] key) {
    return key.length == LOG_KEY && java.util.Arrays.equals(key, 8, LOG_KEY, prefix, 0, Keys.PREFIX);
  }

  /**
   * conversations: {@code prefix || H(conversation) || created_at || E(rumor id) || seq}. The seq
   * lets a page read the log directly; it never decides the order (E(rumor id) is unique).
   */
  static byte[] conversationKey(byte[] conversationPrefix, long createdAt, byte[] encryptedRumorId, long seq) {
    int at = conversationPrefix.length;
    byte[] out = java.util.Arrays.copyOf(conversationPrefix, at + 8 + encryptedRumorId.length + 8);
    Keys.putLong(out, at, createdAt);
    System.arraycopy(encryptedRumorId, 0, out, at + 8, encryptedRumorId.length);
    Keys.putLong(out, at + 8 + encryptedRumorId.length, seq);
    return out;
  }

  /** negentropy: {@code prefix || created_at || E(event id)}. */
  byte[] negentropyKey(long createdAt, EventId eventId) {
    return Keys.withLongAndHash(prefix, createdAt, encryptId(eventId));
  }

  @Override
  public void close() {
    data.close();
    index.close();
    ids.close();
  }
}
