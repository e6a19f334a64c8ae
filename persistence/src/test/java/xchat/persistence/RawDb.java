package xchat.persistence;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.function.BiConsumer;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/** Direct RocksDB access to a closed store's files, for tests that tamper or inspect. */
final class RawDb implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private final DBOptions options = new DBOptions();
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final EnumMap<Cf, ColumnFamilyHandle> byCf = new EnumMap<>(Cf.class);
  private final RocksDB db;

  RawDb(Path directory) throws RocksDBException {
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
    for (Cf cf : Cf.values()) {
      descriptors.add(new ColumnFamilyDescriptor(cf.nameBytes));
    }
    db = RocksDB.open(options, directory.toString(), descriptors, handles);
    for (Cf cf : Cf.values()) {
      byCf.put(cf, handles.get(cf.ordinal() + 1));
    }
  }

  void forEach(Cf cf, BiConsumer<byte[], byte[]> visitor) {
    try (RocksIterator iterator = db.newIterator(byCf.get(cf))) {
      for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
        visitor.accept(iterator.key(), iterator.value());
      }
    }
  }

  List<byte[]> keys(Cf cf) {
    List<byte[]> keys = new ArrayList<>();
    forEach(cf, (key, value) -> keys.add(key));
    return keys;
  }

  byte[] get(Cf cf, byte[] key) throws RocksDBException {
    return db.get(byCf.get(cf), key);
  }

  void put(Cf cf, byte[] key, byte[] value) throws RocksDBException {
    db.put(byCf.get(cf), key, value);
  }

  void delete(Cf cf, byte[] key) throws RocksDBException {
    db.delete(byCf.get(cf), key);
  }

  @Override
  public void close() {
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    options.close();
  }
}
