package xchat.persistence;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.util.function.ToIntFunction;
import xchat.persistence.crypto.Aead;
import xchat.persistence.crypto.TagMismatchException;
import xchat.persistence.record.CircleRecord;
import xchat.persistence.record.CursorRecord;
import xchat.persistence.record.DeviceStateRecord;
import xchat.persistence.record.EventEntry;
import xchat.persistence.record.ExpirationEntry;
import xchat.persistence.record.KeyRing;
import xchat.persistence.record.LayoutRecord;
import xchat.persistence.record.MessageRecord;
import xchat.persistence.record.RumorRecord;
import xchat.persistence.record.OutboxRecord;
import xchat.persistence.record.SequenceRecord;

/** One Protobuf record kind: how to parse it and which format versions this build reads. */
record RecordType<T extends MessageLite>(String name, Parser<T> parser, ToIntFunction<T> version, int newest) {
  /** Every record is written at this version unless named below; a reader refuses newer ones. */
  static final int CURRENT_VERSION = 1;
  /**
   * MessageRecord version 3 lives in the log under its seq and names its rumor id (versions 1
   * and 2 lived in the messages family, in layout 1, and are not read).
   */
  static final int MESSAGE_VERSION = 3;
  /** RumorRecord version 2 holds a {@code live} pointer into the log, never a whole message. */
  static final int RUMOR_VERSION = 2;

  static final RecordType<KeyRing> KEY_RING = of("KeyRing", KeyRing.parser(), KeyRing::getVersion);
  static final RecordType<CircleRecord> CIRCLE =
      of("CircleRecord", CircleRecord.parser(), CircleRecord::getVersion);
  static final RecordType<SequenceRecord> SEQUENCE =
      of("SequenceRecord", SequenceRecord.parser(), SequenceRecord::getVersion);
  static final RecordType<RumorRecord> RUMOR =
      new RecordType<>("RumorRecord", RumorRecord.parser(), RumorRecord::getVersion, RUMOR_VERSION);
  static final RecordType<MessageRecord> MESSAGE =
      new RecordType<>("MessageRecord", MessageRecord.parser(), MessageRecord::getVersion, MESSAGE_VERSION);
  static final RecordType<LayoutRecord> LAYOUT =
      of("LayoutRecord", LayoutRecord.parser(), LayoutRecord::getVersion);
  static final RecordType<EventEntry> EVENT =
      of("EventEntry", EventEntry.parser(), EventEntry::getVersion);
  static final RecordType<ExpirationEntry> EXPIRATION =
      of("ExpirationEntry", ExpirationEntry.parser(), ExpirationEntry::getVersion);
  static final RecordType<CursorRecord> CURSOR =
      of("CursorRecord", CursorRecord.parser(), CursorRecord::getVersion);
  static final RecordType<OutboxRecord> OUTBOX =
      of("OutboxRecord", OutboxRecord.parser(), OutboxRecord::getVersion);
  static final RecordType<DeviceStateRecord> DEVICE_STATE =
      of("DeviceStateRecord", DeviceStateRecord.parser(), DeviceStateRecord::getVersion);

  private static <T extends MessageLite> RecordType<T> of(
      String name, Parser<T> parser, ToIntFunction<T> version) {
    return new RecordType<>(name, parser, version, CURRENT_VERSION);
  }

  /** A rumor slot, live or tombstone: checks the nested record's version too. */
  static RumorRecord rumor(Cf cf, byte[] plaintext) {
    RumorRecord record = RUMOR.parse(cf, plaintext);
    int nested =
        switch (record.getStateCase()) {
          case LIVE -> record.getLive().getVersion();
          case TOMBSTONE -> record.getTombstone().getVersion();
          case MESSAGE -> throw new StoreCorruptedException(
              "a rumor record in '" + cf.cfName + "' holds a whole message, as layout 1 did; this build reads layout "
                  + EncryptedStore.LAYOUT);
          case STATE_NOT_SET -> throw new StoreCorruptedException("a rumor record in '" + cf.cfName + "' is empty");
        };
    if (nested < 1 || nested > CURRENT_VERSION) {
      throw new StoreCorruptedException(
          "a rumor record in '" + cf.cfName + "' has format version " + nested + "; this build reads versions 1.." + CURRENT_VERSION);
    }
    return record;
  }

  /** A message of the log: only version 3 names its rumor id, which the log key does not. */
  static MessageRecord openMessage(Aead aead, byte[] key, byte[] sealed) {
    MessageRecord record = MESSAGE.open(Cf.LOG, aead, key, sealed);
    if (record.getVersion() < MESSAGE_VERSION) {
      throw new StoreCorruptedException(
          "a MessageRecord in '" + Cf.LOG.cfName + "' has format version " + record.getVersion()
              + ", which layout " + EncryptedStore.LAYOUT + " does not use");
    }
    return record;
  }

  static RumorRecord openRumor(Aead aead, byte[] key, byte[] sealed) {
    return rumor(Cf.MESSAGES, openBytes(Cf.MESSAGES, aead, key, sealed));
  }

  /** Parses a plaintext record and checks its version. */
  T parse(Cf cf, byte[] plaintext) {
    T record;
    try {
      record = parser.parseFrom(plaintext);
    } catch (InvalidProtocolBufferException e) {
      throw new StoreCorruptedException(
          "an authenticated " + name + " in column family '" + cf.cfName + "' does not decode");
    }
    int found = version.applyAsInt(record);
    if (found < 1 || found > newest) {
      throw new StoreCorruptedException(
          name + " in column family '" + cf.cfName + "' has format version " + found
              + "; this build reads versions 1.." + newest);
    }
    return record;
  }

  /** Opens a sealed value bound to {@code cf} and {@code key}, then parses it. */
  T open(Cf cf, Aead aead, byte[] key, byte[] sealed) {
    return parse(cf, openBytes(cf, aead, key, sealed));
  }

  static byte[] openBytes(Cf cf, Aead aead, byte[] key, byte[] sealed) {
    try {
      return aead.open(sealed, cf.context, key);
    } catch (TagMismatchException e) {
      throw new IntegrityException(cf.cfName, e.getMessage());
    }
  }

  static byte[] seal(Cf cf, Aead aead, byte[] key, MessageLite record) {
    return aead.seal(record.toByteArray(), cf.context, key);
  }
}
