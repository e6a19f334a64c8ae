package xchat.persistence;

import java.time.Duration;
import xchat.persistence.crypto.ScryptParams;

/**
 * How a store is opened. Memory stays bounded whatever the store's size: one LRU block cache is
 * shared by every column family, memtables are charged to it, and open files are capped.
 *
 * @param syncMode when a commit is durable
 * @param groupCommitInterval in {@link SyncMode#GROUP_COMMIT}, how often a background thread
 *     fsyncs the WAL; {@link Duration#ZERO} leaves it to {@link EncryptedStore#flushWal()}
 * @param scrypt cost of the passphrase KDF for keyrings written by this handle (create and
 *     passphrase change); an existing keyring keeps the parameters it was written with
 * @param blockCacheBytes the shared block cache, which also accounts for memtables
 * @param writeBufferBytes total memtable budget across column families
 * @param maxOpenFiles table files kept open
 */
public record StoreOptions(
    SyncMode syncMode,
    Duration groupCommitInterval,
    ScryptParams scrypt,
    long blockCacheBytes,
    long writeBufferBytes,
    int maxOpenFiles) {

  public StoreOptions {
    if (syncMode == null || groupCommitInterval == null || scrypt == null) {
      throw new IllegalArgumentException("sync mode, interval and scrypt params are required");
    }
    if (groupCommitInterval.isNegative()) {
      throw new IllegalArgumentException("group commit interval must not be negative");
    }
    if (blockCacheBytes < (1 << 20) || writeBufferBytes < (1 << 20)) {
      throw new IllegalArgumentException("block cache and write buffers need at least 1 MiB");
    }
    if (writeBufferBytes > blockCacheBytes) {
      throw new IllegalArgumentException("write buffers are charged to the block cache: keep them smaller");
    }
    if (maxOpenFiles < 16) {
      throw new IllegalArgumentException("max open files must be at least 16");
    }
  }

  public static StoreOptions defaults() {
    return new StoreOptions(
        SyncMode.PER_BATCH, Duration.ZERO, ScryptParams.INTERACTIVE, 32L << 20, 16L << 20, 256);
  }

  public StoreOptions withSyncMode(SyncMode mode) {
    return new StoreOptions(
        mode, groupCommitInterval, scrypt, blockCacheBytes, writeBufferBytes, maxOpenFiles);
  }

  public StoreOptions withGroupCommitInterval(Duration interval) {
    return new StoreOptions(
        syncMode, interval, scrypt, blockCacheBytes, writeBufferBytes, maxOpenFiles);
  }

  public StoreOptions withScrypt(ScryptParams params) {
    return new StoreOptions(
        syncMode, groupCommitInterval, params, blockCacheBytes, writeBufferBytes, maxOpenFiles);
  }

  public StoreOptions withMemory(long cacheBytes, long bufferBytes) {
    return new StoreOptions(
        syncMode, groupCommitInterval, scrypt, cacheBytes, bufferBytes, maxOpenFiles);
  }
}
