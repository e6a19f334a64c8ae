package xchat.persistence;

import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * The native option objects of one open store, closed together after the database. Memory is
 * bounded by construction: one LRU cache shared by every column family holds data, index and
 * filter blocks, and the write-buffer manager charges memtables to that same cache.
 */
final class RocksResources implements AutoCloseable {
  final LRUCache cache;
  final WriteBufferManager writeBuffers;
  final ColumnFamilyOptions pointLookups;
  final ColumnFamilyOptions rangeScans;
  final ColumnFamilyOptions appendedLog;
  final DBOptions dbOptions;
  final WriteOptions writeOptions;
  final WriteOptions syncWriteOptions;
  private final List<AutoCloseable> owned = new ArrayList<>();

  RocksResources(StoreOptions options, boolean create) {
    cache = own(new LRUCache(options.blockCacheBytes(), shardBits(options.blockCacheBytes())));
    writeBuffers = own(new WriteBufferManager(options.writeBufferBytes(), cache));
    // Each family may grow to half the budget; the manager flushes the largest when the total is
    // reached. Fewer, larger L0 files keep the point lookups of every append cheap.
    long memtable = Math.max(1L << 20, options.writeBufferBytes() / 2);
    // Point lookups fetch one ~1.3 KB message per block read: small blocks waste less.
    pointLookups = own(columnFamily(memtable, table(own(new BloomFilter(10)), 4 * 1024)));
    // Most lookups inside a commit (is it a duplicate? tombstoned?) miss: a memtable bloom
    // answers those without walking the skiplist.
    pointLookups.setMemtablePrefixBloomSizeRatio(0.05).setMemtableWholeKeyFiltering(true);
    rangeScans = own(columnFamily(memtable, table(null, 16 * 1024)));
    // The log takes most of the bytes but gains nothing from a large memtable: its keys arrive
    // in order and its files move down the levels unmerged. A small one flushes on its own, so
    // the manager's budget is left to the random-keyed families, which then flush in larger
    // files and are rewritten fewer times.
    appendedLog = own(columnFamily(Math.max(1L << 20, options.writeBufferBytes() / 8), table(null, 16 * 1024)));
    dbOptions =
        own(
            new DBOptions()
                .setCreateIfMissing(create)
                .setCreateMissingColumnFamilies(create)
                .setErrorIfExists(create)
                .setParanoidChecks(true)
                .setMaxOpenFiles(options.maxOpenFiles())
                .setWriteBufferManager(writeBuffers)
                .setMaxBackgroundJobs(2)
                // A torn tail after a crash is dropped; everything before it is kept.
                .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
                .setAvoidFlushDuringShutdown(false)
                .setInfoLogLevel(InfoLogLevel.INFO_LEVEL)
                .setKeepLogFileNum(3)
                .setMaxLogFileSize(1L << 20)
                .setStatsDumpPeriodSec(0));
    writeOptions = own(new WriteOptions().setSync(options.syncMode() == SyncMode.PER_BATCH));
    syncWriteOptions = own(new WriteOptions().setSync(true));
  }

  private static BlockBasedTableConfig table(BloomFilter filter, int blockSize) {
    BlockBasedTableConfig table =
        new BlockBasedTableConfig()
            .setBlockSize(blockSize)
            .setCacheIndexAndFilterBlocks(true)
            .setPinL0FilterAndIndexBlocksInCache(true);
    if (filter != null) {
      table.setFilterPolicy(filter);
    }
    return table;
  }

  private ColumnFamilyOptions columnFamily(long memtableBytes, BlockBasedTableConfig table) {
    table.setBlockCache(cache);
    return new ColumnFamilyOptions()
        .setTableFormatConfig(table)
        // Values are ciphertext: compressing them spends CPU for nothing.
        .setCompressionType(CompressionType.NO_COMPRESSION)
        .setWriteBufferSize(memtableBytes)
        .setMaxWriteBufferNumber(2)
        .setLevelCompactionDynamicLevelBytes(true);
  }

  // RocksDB's default cuts the cache into 512 KB shards, and a block larger than its shard is
  // evicted as soon as it is released: the whole-file bloom filter of a large point-lookup file
  // (over 600 KB at a few hundred thousand keys) was then read from the file again by every
  // commit's dedup lookup, about 20 KB per appended record. Shards of at least 4 MiB keep it.
  static int shardBits(long cacheBytes) {
    int bits = 0;
    while (bits < 6 && (cacheBytes >> (bits + 1)) >= 4L << 20) {
      bits++;
    }
    return bits;
  }

  ColumnFamilyOptions optionsFor(Cf cf) {
    if (cf == Cf.LOG) {
      return appendedLog;
    }
    return cf.pointLookups ? pointLookups : rangeScans;
  }

  private <T extends AutoCloseable> T own(T resource) {
    owned.add(resource);
    return resource;
  }

  @Override
  public void close() {
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception e) {
        throw new IllegalStateException("closing RocksDB options failed", e);
      }
    }
    owned.clear();
  }
}
