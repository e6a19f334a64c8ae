package xchat.relay.store;

import java.util.Arrays;
import java.util.OptionalLong;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * A scan over one index prefix ({@code prefix + inverted time + id}), newest first, restricted to
 * a filter's since/until window.
 */
final class IndexCursor implements AutoCloseable {
  private final RocksIterator iterator;
  private final byte[] prefix;
  private final long maxInverted;
  /** The tag value this cursor's prefix encodes, or null for other indexes. */
  final String tagValue;
  private byte[] key;
  private byte[] value;

  IndexCursor(
      RocksDB db,
      ColumnFamilyHandle family,
      ReadOptions options,
      byte[] prefix,
      OptionalLong since,
      OptionalLong until,
      String tagValue) {
    this.iterator = db.newIterator(family, options);
    this.prefix = prefix;
    this.tagValue = tagValue;
    this.maxInverted = since.isPresent() ? Keys.invert(since.getAsLong()) : Long.MAX_VALUE;
    long startInverted = until.isPresent() ? Keys.invert(until.getAsLong()) : 0;
    iterator.seek(Keys.concat(prefix, Keys.longBytes(startInverted)));
    load();
  }

  private void load() {
    key = null;
    value = null;
    if (!iterator.isValid()) {
      return;
    }
    byte[] candidate = iterator.key();
    if (candidate.length != prefix.length + Keys.TIME_ID || !Keys.startsWith(candidate, prefix)) {
      return;
    }
    if (Keys.readLong(candidate, prefix.length) > maxInverted) {
      return;
    }
    key = candidate;
    value = iterator.value();
  }

  boolean valid() {
    return key != null;
  }

  void next() {
    iterator.next();
    load();
  }

  /** Inverted time then id: the merge order. */
  int compareTo(IndexCursor other) {
    return Arrays.compareUnsigned(
        key, prefix.length, key.length, other.key, other.prefix.length, other.key.length);
  }

  boolean sameEntry(byte[] timeId) {
    return timeId != null
        && Arrays.equals(key, prefix.length, key.length, timeId, 0, Keys.TIME_ID);
  }

  byte[] timeId() {
    return Arrays.copyOfRange(key, prefix.length, key.length);
  }

  long createdAt() {
    return Keys.invert(Keys.readLong(key, prefix.length));
  }

  byte[] id() {
    return Arrays.copyOfRange(key, prefix.length + 8, key.length);
  }

  int kind() {
    return Keys.readKind(value, 0);
  }

  long expiresAt() {
    return Keys.expiryOf(value);
  }

  @Override
  public void close() {
    iterator.close();
  }
}
