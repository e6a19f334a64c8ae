package xchat.relay.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import xchat.protocol.event.EventId;

/** Changes a closed store behind its back, as a damaged disk would. */
public final class StoreSurgery {
  private StoreSurgery() {}

  /** Replaces the value the {@code events} family holds for {@code id}. */
  public static void overwriteEvent(Path storeDir, EventId id, String value)
      throws RocksDBException {
    RocksDB.loadLibrary();
    List<byte[]> names;
    try (Options options = new Options()) {
      names = RocksDB.listColumnFamilies(options, storeDir.toString());
    }
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (byte[] name : names) {
      descriptors.add(new ColumnFamilyDescriptor(name));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions();
        RocksDB db = RocksDB.open(options, storeDir.toString(), descriptors, handles)) {
      try {
        for (int i = 0; i < names.size(); i++) {
          if (new String(names.get(i), StandardCharsets.UTF_8).equals("events")) {
            db.put(handles.get(i), id.bytes(), value.getBytes(StandardCharsets.UTF_8));
          }
        }
      } finally {
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
  }
}
