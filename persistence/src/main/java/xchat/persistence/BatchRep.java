package xchat.persistence;

import java.util.Arrays;

/**
 * A RocksDB write batch built in Java, in RocksDB's own serialised form ({@code WriteBatch::rep_},
 * db/write_batch.cc: a 12-byte header of sequence and count, then one tagged record per
 * operation), and handed over in one JNI call by {@code new WriteBatch(byte[])}. One JNI put per
 * key copied key and value across separately and cost more than the copy itself.
 */
final class BatchRep {
  static final int HEADER = 12;
  // ValueType tags of dbformat.h.
  static final byte DELETION = 0x0;
  static final byte VALUE = 0x1;
  static final byte COLUMN_FAMILY_DELETION = 0x4;
  static final byte COLUMN_FAMILY_VALUE = 0x5;

  private byte[] buf;
  private int size = HEADER;
  private int count;

  BatchRep(int initialCapacity) {
    buf = new byte[Math.max(HEADER + 64, initialCapacity)];
  }

  void put(int columnFamily, byte[] key, byte[] value) {
    ensure(1 + 5 + 5 + key.length + 5 + value.length);
    tag(columnFamily, COLUMN_FAMILY_VALUE, VALUE);
    slice(key);
    slice(value);
    count++;
  }

  void delete(int columnFamily, byte[] key) {
    ensure(1 + 5 + 5 + key.length);
    tag(columnFamily, COLUMN_FAMILY_DELETION, DELETION);
    slice(key);
    count++;
  }

  int count() {
    return count;
  }

  /** The serialised batch: sequence 0 (RocksDB assigns it), then the count, then the records. */
  byte[] toBytes() {
    byte[] out = Arrays.copyOf(buf, size);
    Arrays.fill(out, 0, 8, (byte) 0);
    out[8] = (byte) count;
    out[9] = (byte) (count >>> 8);
    out[10] = (byte) (count >>> 16);
    out[11] = (byte) (count >>> 24);
    return out;
  }

  private void tag(int columnFamily, byte withFamily, byte inDefault) {
    if (columnFamily == 0) {
      buf[size++] = inDefault;
    } else {
      buf[size++] = withFamily;
      varint(columnFamily);
    }
  }

  private void slice(byte[] bytes) {
    varint(bytes.length);
    System.arraycopy(bytes, 0, buf, size, bytes.length);
    size += bytes.length;
  }

  private void varint(int value) {
    while ((value & ~0x7f) != 0) {
      buf[size++] = (byte) ((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    buf[size++] = (byte) value;
  }

  private void ensure(int more) {
    long needed = (long) size + more;
    if (needed > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("a write batch over 2 GiB");
    }
    if (needed > buf.length) {
      buf = Arrays.copyOf(buf, (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 16, 2L * buf.length)));
    }
  }
}
