package xchat.protocol.nip77;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import xchat.protocol.nip77.NegentropyException.Reason;

/**
 * Decodes one binary message, treating it as hostile: every length is checked against the bytes
 * that remain before anything is allocated, and every loop consumes input, so decoding is linear in
 * the input size.
 */
final class MessageReader {
  private final byte[] input;
  private int position;
  private long lastTimestamp;

  private MessageReader(byte[] input) {
    this.input = input;
  }

  static NegentropyMessage decode(byte[] input) {
    return new MessageReader(input).readMessage();
  }

  /** Checks the version byte alone, for callers that answer other versions themselves. */
  static int readVersion(byte[] input) {
    if (input.length == 0) {
      throw new NegentropyException(Reason.TRUNCATED, 0, "empty message");
    }
    int version = input[0] & 0xff;
    if (version < 0x60 || version > 0x6f) {
      throw new NegentropyException(Reason.BAD_VERSION, 0, "not a negentropy version byte");
    }
    return version;
  }

  private NegentropyMessage readMessage() {
    int version = readVersion(input);
    if (version != NegentropyMessage.PROTOCOL_VERSION) {
      throw new NegentropyException(
          Reason.UNSUPPORTED_VERSION, 0, "version " + (version - 0x60) + ", only V1 is supported");
    }
    position = 1;
    List<NegentropyMessage.Range> ranges = new ArrayList<>();
    Bound previous = Bound.ZERO;
    while (position < input.length) {
      int start = position;
      Bound bound = readBound();
      if (bound.compareTo(previous) < 0) {
        throw new NegentropyException(
            Reason.UNSORTED_BOUNDS, start, "bound below the previous one");
      }
      previous = bound;
      ranges.add(readPayload(bound));
    }
    return new NegentropyMessage(ranges);
  }

  private NegentropyMessage.Range readPayload(Bound bound) {
    int modeAt = position;
    long mode = readVarint();
    if (mode == Mode.SKIP.code()) {
      return new NegentropyMessage.SkipRange(bound);
    }
    if (mode == Mode.FINGERPRINT.code()) {
      return new NegentropyMessage.FingerprintRange(
          bound, new Fingerprint(readBytes(Fingerprint.SIZE)));
    }
    if (mode == Mode.ID_LIST.code()) {
      int countAt = position;
      long count = readVarint();
      if (Long.compareUnsigned(count, remaining() / Item.ID_SIZE) > 0) {
        throw new NegentropyException(
            Reason.TRUNCATED, countAt, "id list claims more ids than the bytes left");
      }
      return new NegentropyMessage.IdListRange(bound, readBytes((int) count * Item.ID_SIZE));
    }
    throw new NegentropyException(
        Reason.BAD_MODE, modeAt, "unknown mode " + Long.toUnsignedString(mode));
  }

  private Bound readBound() {
    long timestamp = readTimestamp();
    int lengthAt = position;
    long length = readVarint();
    if (Long.compareUnsigned(length, Item.ID_SIZE) > 0) {
      throw new NegentropyException(
          Reason.BAD_ID_LENGTH, lengthAt, "id prefix length " + Long.toUnsignedString(length));
    }
    return new Bound(timestamp, readBytes((int) length));
  }

  private long readTimestamp() {
    int start = position;
    long encoded = readVarint();
    if (encoded == 0) {
      lastTimestamp = Bound.INFINITY_TIMESTAMP;
      return Bound.INFINITY_TIMESTAMP;
    }
    // A finite timestamp after infinity, or one reaching 2^64-1, has no canonical encoding.
    long timestamp = lastTimestamp + (encoded - 1);
    if (lastTimestamp == Bound.INFINITY_TIMESTAMP
        || Long.compareUnsigned(timestamp, lastTimestamp) < 0
        || timestamp == Bound.INFINITY_TIMESTAMP) {
      throw new NegentropyException(Reason.TIMESTAMP_OVERFLOW, start, "timestamp past 2^64-2");
    }
    lastTimestamp = timestamp;
    return timestamp;
  }

  private long readVarint() {
    int start = position;
    long value = 0;
    while (true) {
      if (position >= input.length) {
        throw new NegentropyException(Reason.TRUNCATED, start, "varint runs past the end");
      }
      int digit = input[position++] & 0xff;
      if (position - 1 == start && digit == 0x80) {
        throw new NegentropyException(Reason.NON_CANONICAL_VARINT, start, "leading zero digit");
      }
      if ((value >>> 57) != 0) {
        throw new NegentropyException(Reason.VARINT_OVERFLOW, start, "varint above 2^64-1");
      }
      value = (value << 7) | (digit & 0x7f);
      if ((digit & 0x80) == 0) {
        return value;
      }
    }
  }

  private byte[] readBytes(int length) {
    if (length > remaining()) {
      throw new NegentropyException(
          Reason.TRUNCATED, position, length + " bytes wanted, " + remaining() + " left");
    }
    byte[] out = Arrays.copyOfRange(input, position, position + length);
    position += length;
    return out;
  }

  private int remaining() {
    return input.length - position;
  }
}
