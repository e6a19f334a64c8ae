package xchat.protocol.media;

/**
 * Bytes done of a streamed file operation, reported as each chunk passes. Listeners must be quick
 * and must not throw: they run on the thread that moves the bytes.
 */
@FunctionalInterface
public interface TransferProgress {
  TransferProgress NONE = (done, total) -> {};

  /**
   * @param total the expected byte count, or -1 when it is not known
   */
  void onProgress(long done, long total);
}
