package xchat.engine.media;

import xchat.protocol.nip17.FileMetadata;

/** Whether an encrypted file reached at least one server, and the kind-15 metadata if so. */
public sealed interface SendResult {
  UploadReport report();

  /**
   * Stored on at least one server. {@code metadata} names the first as its URL and the others as
   * fallbacks; put it in a kind-15 message with {@code ChatRumors.file}.
   */
  record Sent(FileMetadata metadata, UploadReport report) implements SendResult {}

  /** No server stored it; the report says why, per server. */
  record NotSent(UploadReport report) implements SendResult {}
}
