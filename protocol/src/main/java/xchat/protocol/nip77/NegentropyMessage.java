package xchat.protocol.nip77;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import xchat.protocol.hex.Hex;
import xchat.protocol.nip77.NegentropyException.Reason;

/**
 * A Negentropy V1 message: the version byte 0x61 then ranges in ascending order of upper bound
 * (NIP-77 appendix, "Message"). Space after the last range is an implicit Skip to infinity. NIP-77
 * carries the binary form hex-encoded in {@code NEG-OPEN} and {@code NEG-MSG}.
 */
public record NegentropyMessage(List<Range> ranges) {
  public static final int PROTOCOL_VERSION = 0x61;

  public NegentropyMessage {
    ranges = List.copyOf(ranges);
    Bound previous = Bound.ZERO;
    for (Range range : ranges) {
      if (range.upperBound().compareTo(previous) < 0) {
        throw new IllegalArgumentException("range bounds must not decrease");
      }
      previous = range.upperBound();
    }
  }

  /** A range of the message; its lower bound is the previous range's upper bound, or zero. */
  public sealed interface Range permits SkipRange, FingerprintRange, IdListRange {
    Bound upperBound();

    Mode mode();
  }

  /** The sender is done with this range. */
  public record SkipRange(Bound upperBound) implements Range {
    public SkipRange {
      Objects.requireNonNull(upperBound, "upperBound");
    }

    @Override
    public Mode mode() {
      return Mode.SKIP;
    }
  }

  /** The digest of every id the sender has in the range. */
  public record FingerprintRange(Bound upperBound, Fingerprint fingerprint) implements Range {
    public FingerprintRange {
      Objects.requireNonNull(upperBound, "upperBound");
      Objects.requireNonNull(fingerprint, "fingerprint");
    }

    @Override
    public Mode mode() {
      return Mode.FINGERPRINT;
    }
  }

  /** Every id the sender has in the range, packed: {@code ids} holds 32 bytes per id. */
  public record IdListRange(Bound upperBound, byte[] ids) implements Range {
    public IdListRange {
      Objects.requireNonNull(upperBound, "upperBound");
      Objects.requireNonNull(ids, "ids");
      if (ids.length % Item.ID_SIZE != 0) {
        throw new IllegalArgumentException("packed ids must be a multiple of 32 bytes");
      }
      ids = ids.clone();
    }

    public static IdListRange of(Bound upperBound, List<byte[]> ids) {
      byte[] packed = new byte[ids.size() * Item.ID_SIZE];
      for (int i = 0; i < ids.size(); i++) {
        byte[] id = ids.get(i);
        if (id.length != Item.ID_SIZE) {
          throw new IllegalArgumentException("id must be 32 bytes, got " + id.length);
        }
        System.arraycopy(id, 0, packed, i * Item.ID_SIZE, Item.ID_SIZE);
      }
      return new IdListRange(upperBound, packed);
    }

    @Override
    public Mode mode() {
      return Mode.ID_LIST;
    }

    @Override
    public byte[] ids() {
      return ids.clone();
    }

    public int count() {
      return ids.length / Item.ID_SIZE;
    }

    public byte[] id(int index) {
      Objects.checkIndex(index, count());
      return Arrays.copyOfRange(ids, index * Item.ID_SIZE, (index + 1) * Item.ID_SIZE);
    }

    public List<byte[]> idList() {
      List<byte[]> out = new ArrayList<>(count());
      for (int i = 0; i < count(); i++) {
        out.add(id(i));
      }
      return out;
    }

    /** The packed ids without a copy, for the reconciler, which never writes to them. */
    byte[] packedIds() {
      return ids;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof IdListRange other
          && upperBound.equals(other.upperBound)
          && Arrays.equals(ids, other.ids);
    }

    @Override
    public int hashCode() {
      return 31 * upperBound.hashCode() + Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
      return "IdListRange[" + upperBound + ", " + count() + " ids]";
    }
  }

  public byte[] encode() {
    MessageWriter writer = new MessageWriter();
    for (Range range : ranges) {
      if (range instanceof SkipRange skip) {
        writer.writeSkip(skip.upperBound());
      } else if (range instanceof FingerprintRange fingerprint) {
        writer.writeFingerprint(fingerprint.upperBound(), fingerprint.fingerprint());
      } else {
        IdListRange idList = (IdListRange) range;
        writer.writeIdListHeader(idList.upperBound(), idList.count());
        writer.writeBytes(idList.packedIds(), 0, idList.packedIds().length);
      }
    }
    return writer.toByteArray();
  }

  public String toHex() {
    return Hex.encode(encode());
  }

  /** Decodes a binary message; hostile input fails with a {@link NegentropyException}. */
  public static NegentropyMessage decode(byte[] message) {
    return MessageReader.decode(Objects.requireNonNull(message, "message"));
  }

  public static NegentropyMessage fromHex(String hex) {
    return decode(decodeHex(hex));
  }

  /** The binary message inside a NIP-77 hex field; bad hex fails with reason BAD_HEX. */
  public static byte[] decodeHex(String hex) {
    Objects.requireNonNull(hex, "hex");
    try {
      return Hex.decode(hex);
    } catch (Hex.HexFormatException e) {
      throw new NegentropyException(Reason.BAD_HEX, 0, e.getMessage(), e);
    }
  }
}
