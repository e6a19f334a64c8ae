package xchat.engine.api;

/** A change the engine publishes on {@link XChat#events()}. */
public sealed interface EngineEvent {

  /** A message was stored (arrived, or sent from this device). */
  record MessageAdded(Message message) implements EngineEvent {}

  /** A message was erased: deleted for everyone, or expired (NIP-40). */
  record MessageDeleted(String circle, String messageId, boolean expired) implements EngineEvent {}

  record MessageStatusChanged(String circle, MessageStatus status) implements EngineEvent {}

  /** A deletion this device asked for was confirmed by a relay or another device. */
  record DeletionConfirmed(String circle, DeletionReport report) implements EngineEvent {}

  /**
   * Reconciliation of one relay of a circle finished.
   *
   * @param done relays of the circle finished so far in this sync, of {@code total}
   */
  record SyncProgress(String circle, SyncResult.RelaySync relay, int done, int total) implements EngineEvent {}

  /** A relay connection of a circle changed state (CONNECTING, AUTHENTICATING, OPEN, BACKING_OFF). */
  record RelayHealthChanged(String circle, String relay, String state) implements EngineEvent {}

  /** A circle was created, changed or removed, here or on another device of the account. */
  record CircleChanged(String name, boolean present) implements EngineEvent {}

  /** The device state (read markers, mutes, circles, devices) changed after a merge. */
  record DeviceStateChanged() implements EngineEvent {}

  /**
   * Progress of a file transfer: {@code phase} is ENCRYPTING, UPLOADING, DOWNLOADING or
   * DECRYPTING; {@code server} names the file server for network phases. Sent at most every
   * percent (and at the end) per phase and server.
   *
   * @param transfer for a send, the local file's name; for a receive, the blob's hash ({@code x})
   * @param total the expected byte count, or -1 when unknown
   */
  record MediaProgress(String circle, String transfer, String phase, java.util.Optional<String> server, long done,
      long total) implements EngineEvent {}

  /** A file message's blob was deleted from the file servers; per server what was confirmed. */
  record FileDeleted(String circle, String messageId, java.util.List<FileServerDeletion> servers)
      implements EngineEvent {}

  /** Something failed in the background; the engine goes on. Never holds plaintext. */
  record EngineError(String circle, String what) implements EngineEvent {}
}
