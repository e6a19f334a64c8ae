package xchat.engine.media;

import java.net.URI;
import java.util.Optional;

/**
 * Progress of a media transfer, for the engine to turn into events. Called on the thread that moves
 * the bytes, once per chunk: it must be quick and must not throw.
 */
@FunctionalInterface
public interface MediaProgress {
  MediaProgress NONE = update -> {};

  void onProgress(Update update);

  /** What is being done to the bytes. */
  enum Phase {
    ENCRYPTING,
    UPLOADING,
    DOWNLOADING,
    DECRYPTING
  }

  /**
   * @param server the file server this update is about; empty for local work
   * @param total the expected byte count, or -1 when unknown
   */
  record Update(Phase phase, Optional<URI> server, long done, long total) {
    public Update {
      if (phase == null || server == null || done < 0) {
        throw new IllegalArgumentException(
            "phase, server option and a non-negative count are required");
      }
    }
  }
}
