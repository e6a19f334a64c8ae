package xchat.protocol.nip19;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** NIP-19 bech32 entities: bare {@code npub}, {@code nsec}, {@code note} and TLV-based ones. */
public final class Nip19 {
  private static final int TLV_SPECIAL = 0;
  private static final int TLV_RELAY = 1;
  private static final int TLV_AUTHOR = 2;
  private static final int TLV_KIND = 3;

  private Nip19() {}

  /**
   * The bech32 string of {@code entity}.
   *
   * @throws IllegalArgumentException if it would exceed {@link Bech32#MAX_LENGTH} characters
   */
  public static String encode(Nip19Entity entity) {
    Objects.requireNonNull(entity, "entity");
    byte[] data;
    if (entity instanceof Npub npub) {
      data = npub.publicKey();
    } else if (entity instanceof Nsec nsec) {
      data = nsec.secretKey();
    } else if (entity instanceof Note note) {
      data = note.eventId();
    } else if (entity instanceof Nprofile profile) {
      TlvWriter tlv = new TlvWriter();
      tlv.write(TLV_SPECIAL, profile.publicKey());
      tlv.relays(profile.relays());
      data = tlv.toByteArray();
    } else if (entity instanceof Nevent event) {
      TlvWriter tlv = new TlvWriter();
      tlv.write(TLV_SPECIAL, event.eventId());
      tlv.relays(event.relays());
      event.author().ifPresent(author -> tlv.write(TLV_AUTHOR, author));
      event.kind().ifPresent(kind -> tlv.write(TLV_KIND, u32(kind)));
      data = tlv.toByteArray();
    } else if (entity instanceof Naddr addr) {
      TlvWriter tlv = new TlvWriter();
      tlv.write(TLV_SPECIAL, Fields.utf8(addr.identifier(), "identifier"));
      tlv.relays(addr.relays());
      tlv.write(TLV_AUTHOR, addr.author());
      tlv.write(TLV_KIND, u32(addr.kind()));
      data = tlv.toByteArray();
    } else {
      throw new IllegalStateException("unhandled entity " + entity.getClass());
    }
    try {
      return Bech32.encode(entity.prefix(), data);
    } finally {
      Arrays.fill(data, (byte) 0);
    }
  }

  /** Decodes any supported NIP-19 string. */
  public static Nip19Entity decode(String bech32) throws Nip19Exception {
    Bech32.Decoded decoded = Bech32.decode(bech32);
    byte[] data = decoded.data();
    try {
      switch (decoded.hrp()) {
        case Npub.PREFIX:
          return new Npub(bare(data));
        case Nsec.PREFIX:
          return new Nsec(bare(data));
        case Note.PREFIX:
          return new Note(bare(data));
        case Nprofile.PREFIX:
          return nprofile(parseTlv(data));
        case Nevent.PREFIX:
          return nevent(parseTlv(data));
        case Naddr.PREFIX:
          return naddr(parseTlv(data));
        default:
          throw new Nip19Exception(
              Nip19Exception.Reason.UNKNOWN_PREFIX, "unsupported prefix " + decoded.hrp());
      }
    } finally {
      Arrays.fill(data, (byte) 0);
    }
  }

  /** Decodes a string that must be of entity type {@code type}, such as {@code Npub.class}. */
  public static <T extends Nip19Entity> T decode(String bech32, Class<T> type)
      throws Nip19Exception {
    Nip19Entity entity = decode(bech32);
    if (!type.isInstance(entity)) {
      throw new Nip19Exception(
          Nip19Exception.Reason.WRONG_PREFIX,
          "expected " + type.getSimpleName().toLowerCase(Locale.ROOT) + ", got " + entity.prefix());
    }
    return type.cast(entity);
  }

  private static byte[] bare(byte[] data) throws Nip19Exception {
    if (data.length != Fields.KEY_LENGTH) {
      throw new Nip19Exception(
          Nip19Exception.Reason.INVALID_LENGTH,
          "expected " + Fields.KEY_LENGTH + " bytes, got " + data.length);
    }
    return data;
  }

  private static Nprofile nprofile(Tlvs tlvs) throws Nip19Exception {
    return new Nprofile(tlvs.required32(TLV_SPECIAL, "public key"), tlvs.relays());
  }

  private static Nevent nevent(Tlvs tlvs) throws Nip19Exception {
    byte[] id = tlvs.required32(TLV_SPECIAL, "event id");
    Optional<byte[]> author = tlvs.optional(TLV_AUTHOR, "author", Fields.KEY_LENGTH);
    Optional<byte[]> kind = tlvs.optional(TLV_KIND, "kind", 4);
    return new Nevent(
        id,
        tlvs.relays(),
        author,
        kind.isPresent() ? OptionalLong.of(readU32(kind.get())) : OptionalLong.empty());
  }

  private static Naddr naddr(Tlvs tlvs) throws Nip19Exception {
    byte[] identifier =
        tlvs.optional(TLV_SPECIAL, "identifier", -1).orElseThrow(() -> missing("identifier"));
    byte[] author = tlvs.required32(TLV_AUTHOR, "author");
    byte[] kind = tlvs.optional(TLV_KIND, "kind", 4).orElseThrow(() -> missing("kind"));
    return new Naddr(
        Fields.decodeUtf8(identifier, "identifier"), author, readU32(kind), tlvs.relays());
  }

  private static Nip19Exception missing(String name) {
    return new Nip19Exception(Nip19Exception.Reason.MISSING_TLV, "no " + name + " TLV");
  }

  private static Tlvs parseTlv(byte[] data) throws Nip19Exception {
    List<int[]> records = new ArrayList<>();
    int i = 0;
    while (i < data.length) {
      if (i + 2 > data.length) {
        throw new Nip19Exception(
            Nip19Exception.Reason.MALFORMED_TLV, "truncated TLV header at byte " + i);
      }
      int type = data[i] & 0xff;
      int length = data[i + 1] & 0xff;
      if (i + 2 + length > data.length) {
        throw new Nip19Exception(
            Nip19Exception.Reason.MALFORMED_TLV,
            "TLV type " + type + " at byte " + i + " runs past the end");
      }
      records.add(new int[] {type, i + 2, length});
      i += 2 + length;
    }
    return new Tlvs(data, records);
  }

  private static long readU32(byte[] value) {
    return ((value[0] & 0xffL) << 24)
        | ((value[1] & 0xffL) << 16)
        | ((value[2] & 0xffL) << 8)
        | (value[3] & 0xffL);
  }

  private static byte[] u32(long value) {
    return new byte[] {
      (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
    };
  }

  /** Parsed TLV records; unknown types are ignored, as NIP-19 asks. */
  private static final class Tlvs {
    private final byte[] data;
    private final List<int[]> records;

    Tlvs(byte[] data, List<int[]> records) {
      this.data = data;
      this.records = records;
    }

    byte[] required32(int type, String name) throws Nip19Exception {
      return optional(type, name, Fields.KEY_LENGTH).orElseThrow(() -> missing(name));
    }

    /** The single value of {@code type}; {@code length} -1 accepts any length. */
    Optional<byte[]> optional(int type, String name, int length) throws Nip19Exception {
      byte[] found = null;
      for (int[] record : records) {
        if (record[0] != type) {
          continue;
        }
        if (found != null) {
          throw new Nip19Exception(Nip19Exception.Reason.INVALID_TLV, "repeated " + name);
        }
        if (length >= 0 && record[2] != length) {
          throw new Nip19Exception(
              Nip19Exception.Reason.INVALID_TLV,
              name + " must be " + length + " bytes, got " + record[2]);
        }
        found = Arrays.copyOfRange(data, record[1], record[1] + record[2]);
      }
      return Optional.ofNullable(found);
    }

    List<String> relays() throws Nip19Exception {
      List<String> relays = new ArrayList<>();
      for (int[] record : records) {
        if (record[0] == TLV_RELAY) {
          if (record[2] == 0) {
            throw new Nip19Exception(Nip19Exception.Reason.INVALID_TLV, "empty relay");
          }
          relays.add(
              Fields.decodeUtf8(
                  Arrays.copyOfRange(data, record[1], record[1] + record[2]), "relay"));
        }
      }
      return relays;
    }
  }

  private static final class TlvWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void write(int type, byte[] value) {
      if (value.length > Fields.MAX_TLV_VALUE) {
        throw new IllegalArgumentException("TLV value over 255 bytes");
      }
      out.write(type);
      out.write(value.length);
      out.write(value, 0, value.length);
    }

    void relays(List<String> relays) {
      for (String relay : relays) {
        write(TLV_RELAY, relay.getBytes(StandardCharsets.UTF_8));
      }
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }
}
