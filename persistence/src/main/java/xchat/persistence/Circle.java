package xchat.persistence;

import java.nio.charset.StandardCharsets;
import xchat.persistence.crypto.Aead;
import xchat.persistence.crypto.IdCipher;
import xchat.persistence.crypto.IndexHasher;
import xchat.persistence.crypto.KeyHierarchy.CircleKeys;
import xchat.protocol.event.EventId;

/** An open circle: its key prefix and its keys. Closing wipes the keys. */
final class Circle implements AutoCloseable {
  final CircleId id;
  final byte[] prefix;
  final Aead data;
  final IdCipher negentropy;
  private final IndexHasher index;

  Circle(CircleId id, byte[] prefix, CircleKeys keys) {
    this.id = id;
    this.prefix = prefix;
    this.data = keys.data();
    this.index = keys.index();
    this.negentropy = keys.negentropy();
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

  byte[] rumorKey(EventId rumorId) {
    return hashedKey(Keys.DOMAIN_RUMOR, rumorId.bytes());
  }

  byte[] eventKey(EventId eventId) {
    return hashedKey(Keys.DOMAIN_EVENT, eventId.bytes());
  }

  /** {@code prefix || created_at || E(id)}: NIP-77 order up to the second, and the id recoverable. */
  byte[] negentropyKey(long createdAt, EventId eventId) {
    byte[] out = new byte[Keys.NEGENTROPY_KEY];
    System.arraycopy(prefix, 0, out, 0, Keys.PREFIX);
    Keys.putLong(out, Keys.PREFIX, createdAt);
    negentropy.encrypt(eventId.bytes(), out, Keys.PREFIX + 8);
    return out;
  }

  @Override
  public void close() {
    data.close();
    index.close();
    negentropy.close();
  }
}
