package xchat.protocol.media;

import java.nio.file.Path;
import java.util.Optional;

/** Whether a downloaded blob decrypted to the file its kind-15 message describes. */
public sealed interface DecryptResult {

  /**
   * The plaintext is authenticated and matches {@code ox}. {@code file} holds it when the
   * decryption wrote a file; a stream decryption has none.
   */
  record Decrypted(Optional<Path> file, long size) implements DecryptResult {
    public Decrypted {
      if (file == null || size < 0) {
        throw new IllegalArgumentException("file option and a non-negative size are required");
      }
    }
  }

  /**
   * Nothing was kept: any partial output has been deleted. {@code detail} never holds key bytes.
   */
  record Rejected(Reason reason, String detail) implements DecryptResult {
    public Rejected {
      if (reason == null || detail == null) {
        throw new IllegalArgumentException("reason and detail are required");
      }
    }
  }

  /** Why a blob was refused, in the order the checks run. */
  enum Reason {
    /** The key or nonce in the message is not valid hex of the right length. */
    BAD_KEY,
    /** Shorter than a GCM tag: it cannot be a ciphertext. */
    TRUNCATED,
    /** The blob's size differs from the message's {@code size} tag. */
    SIZE_MISMATCH,
    /** The blob is not the one the message names ({@code x}): corrupted or substituted. */
    CIPHERTEXT_HASH_MISMATCH,
    /** GCM authentication failed: wrong key or nonce, or bytes altered. */
    AUTH_TAG_MISMATCH,
    /** It decrypted, but not to the file the sender hashed ({@code ox}). */
    ORIGINAL_HASH_MISMATCH
  }
}
