package xchat.persistence;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.rocksdb.RocksDBException;
import xchat.persistence.cursor.SyncCursor;
import xchat.persistence.log.ConversationId;
import xchat.persistence.log.RumorRef;
import xchat.persistence.log.StoredMessage;
import xchat.persistence.log.TombstoneReason;
import xchat.persistence.outbox.OutboxEntry;
import xchat.persistence.outbox.RelayAck;
import xchat.persistence.record.CursorRecord;
import xchat.persistence.record.DeviceStateRecord;
import xchat.persistence.record.EventEntry;
import xchat.persistence.record.ExpirationEntry;
import xchat.persistence.record.LiveRecord;
import xchat.persistence.record.MessageRecord;
import xchat.persistence.record.RumorFields;
import xchat.persistence.record.RumorRecord;
import xchat.persistence.record.TagValues;
import xchat.persistence.record.TombstoneRecord;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.event.Tag;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.keys.PublicKey;

/**
 * Everything one ingest (or send) step changes, committed atomically by {@link #commit()} as one
 * RocksDB {@code WriteBatch}: a reader sees all of it or none of it. Operations apply in the
 * order they were added, and later ones see earlier ones. Keys and most values are hashed and
 * sealed as operations are added, on the caller's thread; only the parts that depend on stored
 * state or on the sequence number run under the commit lock.
 *
 * <p>Not thread-safe; single use.
 */
public final class StoreBatch {
  /** Largest device-state document. */
  public static final int MAX_DEVICE_STATE_BYTES = 16 << 20;

  @FunctionalInterface
  interface Op {
    void apply(CommitContext ctx) throws RocksDBException;
  }

  private final EncryptedStore store;
  private final List<Op> ops = new ArrayList<>();
  private final Set<Circle> circles = new LinkedHashSet<>();
  private final List<byte[]> messageLookups = new ArrayList<>();
  // A batch usually appends to a few conversations: one HMAC each, not one per message.
  private final Map<ConversationKey, byte[]> conversationPrefixes = new HashMap<>();

  private record ConversationKey(Circle circle, ConversationId conversation) {}
  private boolean committed;

  StoreBatch(EncryptedStore store) {
    this.store = store;
  }

  /** Appends a rumor without a recorded wrap. */
  public StoreBatch appendMessage(CircleId circle, ConversationId conversation, Rumor rumor) {
    return appendMessage(circle, conversation, rumor, Optional.empty());
  }

  /**
   * Appends a rumor to a conversation. At commit it is skipped if the rumor is already stored
   * ({@link CommitResult#duplicates()}) or tombstoned ({@link CommitResult#rejectedTombstoned()}).
   * A NIP-40 {@code expiration} tag on the rumor registers its expiration.
   */
  public StoreBatch appendMessage(
      CircleId circleId, ConversationId conversation, Rumor rumor, Optional<EventId> wrapId) {
    require(conversation != null && rumor != null && wrapId != null, "conversation, rumor, wrap id");
    Circle circle = touch(circleId);
    EventId rumorId = rumor.id();
    long createdAt = rumor.event().createdAt();
    byte[] messageKey = circle.rumorKey(rumorId);
    byte[] encryptedId = circle.encryptId(rumorId);
    byte[] conversationPrefix = conversationPrefix(circle, conversation);
    ByteString conversationBytes = ByteString.copyFrom(conversation.bytes());
    MessageRecord.Builder record =
        MessageRecord.newBuilder()
            .setVersion(RecordType.MESSAGE_VERSION)
            .setRumorId(ByteString.copyFrom(rumorId.bytes()))
            .setRumor(rumorFields(rumor))
            .setConversationId(conversationBytes)
            .setWrapId(wrapId.map(id -> ByteString.copyFrom(id.bytes())).orElse(ByteString.EMPTY))
            .setCreatedAt(createdAt);
    Optional<Long> expiresAt = nip40Expiration(rumor);
    byte[] expirationKey =
        expiresAt
            .map(at -> Keys.withLongAndHash(circle.prefix, at, Arrays.copyOfRange(messageKey, Keys.PREFIX, messageKey.length)))
            .orElse(null);
    byte[] expiration =
        expirationKey == null
            ? null
            : RecordType.seal(
                Cf.EXPIRATIONS,
                circle.data,
                expirationKey,
                ExpirationEntry.newBuilder()
                    .setVersion(RecordType.CURRENT_VERSION)
                    .setRumorId(ByteString.copyFrom(rumorId.bytes()))
                    .build());
    messageLookups.add(messageKey);
    ops.add(
        ctx -> {
          RumorRef ref = new RumorRef(circleId, rumorId);
          // Answered by the commit's one multi-get, nearly always a miss; only a hit is opened,
          // to tell a duplicate from a late copy of an erased rumor (deletion wins).
          byte[] existing = ctx.get(Cf.MESSAGES, messageKey);
          if (existing != null) {
            boolean erased = RecordType.openRumor(circle.data, messageKey, existing).hasTombstone();
            (erased ? ctx.rejected : ctx.duplicates).add(ref);
            return;
          }
          long seq = ctx.nextSeq();
          // The message goes to the log under its seq, an appended key: flushes and compactions
          // then move it rather than rewrite it. The random-keyed slot stays small.
          byte[] logKey = circle.logKey(seq);
          ctx.put(Cf.LOG, logKey, RecordType.seal(Cf.LOG, circle.data, logKey, record.setSeq(seq).build()));
          ctx.put(Cf.MESSAGES, messageKey,
              RecordType.seal(Cf.MESSAGES, circle.data, messageKey, liveSlot(seq, createdAt, conversationBytes)));
          ctx.put(Cf.CONVERSATIONS, Circle.conversationKey(conversationPrefix, createdAt, encryptedId, seq), Keys.EMPTY);
          if (expirationKey != null) {
            ctx.put(Cf.EXPIRATIONS, expirationKey, expiration);
          }
          ctx.appended.add(new StoredMessage(seq, circleId, conversation, rumor, wrapId));
        });
    return this;
  }

  /** Records a wrap (or any event) as seen: for dedup and for NIP-77 reconciliation. */
  public StoreBatch recordEvent(CircleId circleId, NostrEvent event) {
    require(event != null, "event");
    return recordEvent(circleId, event.id(), event.createdAt());
  }

  /** Records an event id with its created_at as seen. Idempotent. */
  public StoreBatch recordEvent(CircleId circleId, EventId id, long createdAt) {
    require(id != null && createdAt >= 0, "event id and a non-negative created_at");
    Circle circle = touch(circleId);
    byte[] eventKey = circle.eventKey(id);
    byte[] negentropyKey = circle.negentropyKey(createdAt, id);
    byte[] event =
        RecordType.seal(
            Cf.EVENTS,
            circle.data,
            eventKey,
            EventEntry.newBuilder().setVersion(RecordType.CURRENT_VERSION).setCreatedAt(createdAt).build());
    ops.add(
        ctx -> {
          ctx.put(Cf.EVENTS, eventKey, event);
          ctx.put(Cf.NEGENTROPY, negentropyKey, Keys.EMPTY);
        });
    return this;
  }

  /** NIP-09 deletion: erases the rumor's plaintext if stored, and keeps a tombstone. */
  public StoreBatch tombstone(CircleId circleId, EventId rumorId, long deletedAt) {
    return tombstone(circleId, rumorId, deletedAt, TombstoneReason.DELETED);
  }

  /**
   * Erases the rumor's stored record and indexes and leaves a tombstone in its place, so a late
   * copy is rejected. Works whether or not the rumor arrived yet; an existing tombstone is kept.
   */
  public StoreBatch tombstone(CircleId circleId, EventId rumorId, long deletedAt, TombstoneReason reason) {
    require(rumorId != null && reason != null && deletedAt >= 0, "rumor id, reason, time");
    Circle circle = touch(circleId);
    byte[] messageKey = circle.rumorKey(rumorId);
    byte[] encryptedId = circle.encryptId(rumorId);
    byte[] tombstone =
        RecordType.seal(
            Cf.MESSAGES,
            circle.data,
            messageKey,
            RumorRecord.newBuilder()
                .setVersion(RecordType.RUMOR_VERSION)
                .setTombstone(
                    TombstoneRecord.newBuilder()
                        .setVersion(RecordType.CURRENT_VERSION)
                        .setRumorId(ByteString.copyFrom(rumorId.bytes()))
                        .setDeletedAt(deletedAt)
                        .setReason(
                            reason == TombstoneReason.DELETED
                                ? xchat.persistence.record.TombstoneReason.TOMBSTONE_REASON_DELETED
                                : xchat.persistence.record.TombstoneReason.TOMBSTONE_REASON_EXPIRED))
                .build());
    messageLookups.add(messageKey);
    ops.add(
        ctx -> {
          byte[] sealed = ctx.get(Cf.MESSAGES, messageKey);
          if (sealed != null) {
            RumorRecord slot = RecordType.openRumor(circle.data, messageKey, sealed);
            if (slot.hasTombstone()) {
              return; // the first deletion stands
            }
            LiveRecord live = slot.getLive();
            ctx.delete(Cf.LOG, circle.logKey(live.getSeq()));
            ctx.delete(
                Cf.CONVERSATIONS,
                Circle.conversationKey(
                    circle.conversationPrefix(live.getConversationId().toByteArray()),
                    live.getCreatedAt(),
                    encryptedId,
                    live.getSeq()));
            ctx.erased.add(new RumorRef(circleId, rumorId));
          }
          // Overwrites the slot and deletes the log value: the plaintext is gone from the live key
          // space at once, and from the files once compaction drops the older versions.
          ctx.put(Cf.MESSAGES, messageKey, tombstone);
        });
    return this;
  }

  /** Registers a NIP-40 expiration for a rumor; the sweep erases it once due. */
  public StoreBatch setExpiration(CircleId circleId, EventId rumorId, long expiresAt) {
    require(rumorId != null && expiresAt >= 0, "rumor id and a non-negative expiration");
    Circle circle = touch(circleId);
    byte[] rumorKey = circle.rumorKey(rumorId);
    byte[] key =
        Keys.withLongAndHash(
            circle.prefix, expiresAt, Arrays.copyOfRange(rumorKey, Keys.PREFIX, rumorKey.length));
    byte[] value =
        RecordType.seal(
            Cf.EXPIRATIONS,
            circle.data,
            key,
            ExpirationEntry.newBuilder()
                .setVersion(RecordType.CURRENT_VERSION)
                .setRumorId(ByteString.copyFrom(rumorId.bytes()))
                .build());
    ops.add(ctx -> ctx.put(Cf.EXPIRATIONS, key, value));
    return this;
  }

  StoreBatch clearExpiration(CircleId circleId, EventId rumorId, long expiresAt) {
    Circle circle = touch(circleId);
    byte[] rumorKey = circle.rumorKey(rumorId);
    byte[] key =
        Keys.withLongAndHash(
            circle.prefix, expiresAt, Arrays.copyOfRange(rumorKey, Keys.PREFIX, rumorKey.length));
    ops.add(ctx -> ctx.delete(Cf.EXPIRATIONS, key));
    return this;
  }

  /**
   * Moves the relay's cursor forward. A cursor older than the stored one is ignored, so
   * out-of-order commits never move it back; {@link #resetCursor} does that explicitly.
   */
  public StoreBatch advanceCursor(CircleId circleId, String relayUrl, SyncCursor cursor) {
    require(relayUrl != null && !relayUrl.isEmpty() && cursor != null, "relay url and cursor");
    Circle circle = touch(circleId);
    byte[] key = circle.hashedKey(Keys.DOMAIN_RELAY, relayUrl.getBytes(StandardCharsets.UTF_8));
    byte[] value =
        RecordType.seal(
            Cf.CURSORS,
            circle.data,
            key,
            CursorRecord.newBuilder()
                .setVersion(RecordType.CURRENT_VERSION)
                .setRelayUrl(relayUrl)
                .setSince(cursor.since())
                .setUpdatedAt(cursor.updatedAt())
                .build());
    ops.add(
        ctx -> {
          byte[] existing = ctx.get(Cf.CURSORS, key);
          if (existing != null
              && RecordType.CURSOR.open(Cf.CURSORS, circle.data, key, existing).getSince() > cursor.since()) {
            return;
          }
          ctx.put(Cf.CURSORS, key, value);
        });
    return this;
  }

  /** Forgets a relay's cursor, so the next sync starts from the beginning. */
  public StoreBatch resetCursor(CircleId circleId, String relayUrl) {
    require(relayUrl != null && !relayUrl.isEmpty(), "relay url");
    Circle circle = touch(circleId);
    byte[] key = circle.hashedKey(Keys.DOMAIN_RELAY, relayUrl.getBytes(StandardCharsets.UTF_8));
    ops.add(ctx -> ctx.delete(Cf.CURSORS, key));
    return this;
  }

  /** Stores (or replaces) a pending send with all its copies. */
  public StoreBatch putOutbox(OutboxEntry entry) {
    require(entry != null, "outbox entry");
    Circle circle = touch(entry.circle());
    byte[] key = circle.rumorKey(entry.rumorId());
    byte[] value = RecordType.seal(Cf.OUTBOX, circle.data, key, OutboxCodec.encode(entry));
    ops.add(ctx -> ctx.put(Cf.OUTBOX, key, value));
    return this;
  }

  /**
   * Sets one relay's state for one copy. If the entry or the copy is gone, nothing is written and
   * the commit lists it in {@link CommitResult#unknownOutbox()}.
   */
  public StoreBatch updateAck(CircleId circleId, EventId rumorId, PublicKey recipient, RelayAck ack) {
    require(rumorId != null && recipient != null && ack != null, "rumor id, recipient, ack");
    Circle circle = touch(circleId);
    byte[] key = circle.rumorKey(rumorId);
    ops.add(
        ctx -> {
          byte[] existing = ctx.get(Cf.OUTBOX, key);
          Optional<OutboxEntry> updated =
              existing == null
                  ? Optional.empty()
                  : OutboxCodec.decode(circleId, RecordType.OUTBOX.open(Cf.OUTBOX, circle.data, key, existing))
                      .withAck(recipient, ack);
          if (updated.isEmpty()) {
            ctx.unknownOutbox.add(new RumorRef(circleId, rumorId));
            return;
          }
          ctx.put(Cf.OUTBOX, key, RecordType.seal(Cf.OUTBOX, circle.data, key, OutboxCodec.encode(updated.get())));
        });
    return this;
  }

  /** Drops a finished (or abandoned) send. */
  public StoreBatch removeOutbox(CircleId circleId, EventId rumorId) {
    require(rumorId != null, "rumor id");
    Circle circle = touch(circleId);
    byte[] key = circle.rumorKey(rumorId);
    ops.add(ctx -> ctx.delete(Cf.OUTBOX, key));
    return this;
  }

  /** Stores an opaque device-state document (the engine's CRDT state) under {@code key}. */
  public StoreBatch putDeviceState(String key, byte[] value) {
    requireDocumentKey(key);
    require(value != null && value.length <= MAX_DEVICE_STATE_BYTES, "a value of at most 16 MiB");
    byte[] storeKey = store.deviceStateKey(key);
    byte[] sealed =
        RecordType.seal(
            Cf.DEVICE_STATE,
            store.globalData(),
            storeKey,
            DeviceStateRecord.newBuilder()
                .setVersion(RecordType.CURRENT_VERSION)
                .setKey(key)
                .setValue(ByteString.copyFrom(value))
                .build());
    ops.add(ctx -> ctx.put(Cf.DEVICE_STATE, storeKey, sealed));
    return this;
  }

  public StoreBatch deleteDeviceState(String key) {
    requireDocumentKey(key);
    byte[] storeKey = store.deviceStateKey(key);
    ops.add(ctx -> ctx.delete(Cf.DEVICE_STATE, storeKey));
    return this;
  }

  /** Number of operations added so far. */
  public int size() {
    return ops.size();
  }

  /**
   * Writes every operation as one atomic batch, durable per the store's {@link SyncMode}.
   *
   * @throws UnknownCircleException if a circle was deleted since an operation named it
   * @throws StorageFullException if the disk is full; nothing was written
   */
  public CommitResult commit() {
    if (committed) {
      throw new IllegalStateException("batch already committed");
    }
    committed = true;
    return store.commit(ops, circles, messageLookups);
  }

  private byte[] conversationPrefix(Circle circle, ConversationId conversation) {
    return conversationPrefixes.computeIfAbsent(
        new ConversationKey(circle, conversation), key -> circle.conversationPrefix(conversation.bytes()));
  }

  private Circle touch(CircleId circleId) {
    if (committed) {
      throw new IllegalStateException("batch already committed");
    }
    Circle circle = store.circle(circleId);
    circles.add(circle);
    return circle;
  }

  private static void requireDocumentKey(String key) {
    require(key != null && !key.isEmpty() && key.length() <= 1024, "a document key of 1..1024 characters");
  }

  private static void require(boolean condition, String what) {
    if (!condition) {
      throw new IllegalArgumentException("required: " + what);
    }
  }

  /** A live rumor's slot: where its message is in the log. */
  static RumorRecord liveSlot(long seq, long createdAt, ByteString conversation) {
    return RumorRecord.newBuilder()
        .setVersion(RecordType.RUMOR_VERSION)
        .setLive(
            LiveRecord.newBuilder()
                .setVersion(RecordType.CURRENT_VERSION)
                .setSeq(seq)
                .setCreatedAt(createdAt)
                .setConversationId(conversation))
        .build();
  }

  // Fields rather than JSON: serialising the JSON (hex ids, escaped content) cost more than
  // sealing it.
  static RumorFields rumorFields(Rumor rumor) {
    UnsignedEvent event = rumor.event();
    RumorFields.Builder fields =
        RumorFields.newBuilder()
            .setPubkey(UnsafeByteOperations.unsafeWrap(event.pubkey().bytes()))
            .setKind(event.kind())
            .setContent(UnsafeByteOperations.unsafeWrap(event.content().getBytes(StandardCharsets.UTF_8)));
    for (Tag tag : event.tags().list()) {
      fields.addTags(TagValues.newBuilder().addAllValues(tag.values()));
    }
    return fields.build();
  }

  // NIP-40: ["expiration", "<unix seconds>"]. A malformed tag from a hostile sender is ignored
  // rather than allowed to fail the whole batch.
  private static Optional<Long> nip40Expiration(Rumor rumor) {
    Optional<String> value = rumor.event().tags().first("expiration");
    if (value.isEmpty() || value.get().isEmpty() || value.get().length() > 18) {
      return Optional.empty();
    }
    for (int i = 0; i < value.get().length(); i++) {
      char c = value.get().charAt(i);
      if (c < '0' || c > '9') {
        return Optional.empty();
      }
    }
    return Optional.of(Long.parseLong(value.get()));
  }
}
