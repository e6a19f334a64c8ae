package xchat.protocol.nip77;

import java.util.Arrays;

/**
 * Builds one binary message. Timestamps are delta-encoded against the previous bound written
 * (NIP-77 appendix, "Bound"), so callers must write bounds in non-decreasing order. One mark can be
 * set and rewound to, which undoes both bytes and timestamp state.
 */
final class MessageWriter {
  private byte[] buffer = new byte[256];
  private int size;
  private long lastTimestamp;
  private int markedSize;
  private long markedTimestamp;

  MessageWriter() {
    buffer[size++] = (byte) NegentropyMessage.PROTOCOL_VERSION;
  }

  int size() {
    return size;
  }

  void mark() {
    markedSize = size;
    markedTimestamp = lastTimestamp;
  }

  void rewind() {
    size = markedSize;
    lastTimestamp = markedTimestamp;
  }

  void writeSkip(Bound upperBound) {
    writeBound(upperBound);
    writeVarint(Mode.SKIP.code());
  }

  void writeFingerprint(Bound upperBound, Fingerprint fingerprint) {
    writeBound(upperBound);
    writeVarint(Mode.FINGERPRINT.code());
    writeBytes(fingerprint.bytes(), 0, Fingerprint.SIZE);
  }

  /**
   * Writes the bound, mode and count of an IdList; the caller then writes exactly {@code count}
   * ids.
   */
  void writeIdListHeader(Bound upperBound, int count) {
    writeBound(upperBound);
    writeVarint(Mode.ID_LIST.code());
    writeVarint(count);
  }

  void writeId(NegentropyStorage storage, int index) {
    ensureCapacity(Item.ID_SIZE);
    storage.copyId(index, buffer, size);
    size += Item.ID_SIZE;
  }

  void writeBytes(byte[] bytes, int offset, int length) {
    ensureCapacity(length);
    System.arraycopy(bytes, offset, buffer, size, length);
    size += length;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  private void writeBound(Bound bound) {
    writeTimestamp(bound.timestamp());
    byte[] prefix = bound.idPrefix();
    writeVarint(prefix.length);
    writeBytes(prefix, 0, prefix.length);
  }

  private void writeTimestamp(long timestamp) {
    if (timestamp == Bound.INFINITY_TIMESTAMP) {
      lastTimestamp = Bound.INFINITY_TIMESTAMP;
      writeVarint(0);
      return;
    }
    if (Long.compareUnsigned(timestamp, lastTimestamp) < 0) {
      throw new IllegalStateException("bounds must be written in ascending order");
    }
    long delta = timestamp - lastTimestamp;
    lastTimestamp = timestamp;
    writeVarint(delta + 1);
  }

  private void writeVarint(long value) {
    ensureCapacity(Varint.MAX_BYTES);
    size = Varint.encodeInto(buffer, size, value);
  }

  private void ensureCapacity(int extra) {
    if (buffer.length - size < extra) {
      int wanted = Math.max(buffer.length * 2, size + extra);
      buffer = Arrays.copyOf(buffer, wanted);
    }
  }
}
