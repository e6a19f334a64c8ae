package xchat.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

class BatchRepTest {
  static {
    RocksDB.loadLibrary();
  }

  @Test
  void serialisesExactlyAsRocksDbsOwnWriteBatch(@TempDir Path dir) throws RocksDBException {
    long seed = 7;
    Random random = new Random(seed);
    // Over 128 families, so ids take one and two varint bytes; family 0 is RocksDB's default.
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
    for (int i = 1; i <= 140; i++) {
      descriptors.add(new ColumnFamilyDescriptor(("f" + i).getBytes(StandardCharsets.US_ASCII)));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles);
        WriteBatch theirs = new WriteBatch();
        WriteOptions write = new WriteOptions()) {
      BatchRep ours = new BatchRep(16);
      Map<String, byte[]> expected = new HashMap<>();
      for (int i = 0; i < 600; i++) {
        ColumnFamilyHandle family = handles.get(random.nextInt(handles.size()));
        byte[] key = bytes(random, 1 + random.nextInt(3));
        String slot = family.getID() + "/" + java.util.HexFormat.of().formatHex(key);
        if (random.nextInt(5) == 0) {
          ours.delete(family.getID(), key);
          theirs.delete(family, key);
          expected.put(slot, null);
        } else {
          byte[] value = bytes(random, random.nextInt(10) == 0 ? 20_000 : random.nextInt(200));
          ours.put(family.getID(), key, value);
          theirs.put(family, key, value);
          expected.put(slot, value);
        }
      }
      assertEquals(theirs.count(), ours.count(), "seed " + seed);
      assertArrayEquals(theirs.data(), ours.toBytes(), "seed " + seed);
      try (WriteBatch parsed = new WriteBatch(ours.toBytes())) {
        db.write(write, parsed);
      }
      for (ColumnFamilyHandle family : handles) {
        for (Map.Entry<String, byte[]> entry : expected.entrySet()) {
          if (entry.getKey().startsWith(family.getID() + "/")) {
            byte[] key = java.util.HexFormat.of().parseHex(entry.getKey().substring(entry.getKey().indexOf('/') + 1));
            if (entry.getValue() == null) {
              assertNull(db.get(family, key), "seed " + seed);
            } else {
              assertArrayEquals(entry.getValue(), db.get(family, key), "seed " + seed);
            }
          }
        }
      }
    } finally {
      handles.forEach(ColumnFamilyHandle::close);
    }
  }

  private static byte[] bytes(Random random, int length) {
    byte[] out = new byte[length];
    random.nextBytes(out);
    return out;
  }
}
