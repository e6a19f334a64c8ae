package xchat.persistence;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * A bare RocksDB opened with exactly the options a store of {@code options} uses (cache, write
 * buffers, DB options, the messages family's options, write options): the unencrypted, unindexed
 * baseline the benchmarks compare appends with.
 */
public final class PlainRocks implements AutoCloseable {
  private final RocksResources resources;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();

  public PlainRocks(Path directory, StoreOptions options) throws RocksDBException {
    resources = new RocksResources(options, true);
    try {
      db =
          RocksDB.open(
              resources.dbOptions,
              directory.toString(),
              List.of(
                  new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, resources.rangeScans),
                  new ColumnFamilyDescriptor(
                      "values".getBytes(StandardCharsets.US_ASCII), resources.optionsFor(Cf.MESSAGES))),
              handles);
    } catch (RocksDBException | RuntimeException e) {
      resources.close();
      throw e;
    }
  }

  /** Writes {@code batch}, durable as the store's sync mode says. */
  public void write(WriteBatch batch) throws RocksDBException {
    db.write(resources.writeOptions, batch);
  }

  /** The family the values go to (options of the store's messages family). */
  public ColumnFamilyHandle values() {
    return handles.get(1);
  }

  @Override
  public void close() {
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    resources.close();
  }
}
