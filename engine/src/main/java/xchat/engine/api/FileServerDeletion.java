package xchat.engine.api;

import java.util.Objects;
import java.util.Optional;

/**
 * What one file server confirmed about deleting a file message's blob (Blossom DELETE with a
 * kind-24242 authorization, checked afterwards with HEAD).
 */
public record FileServerDeletion(String server, Outcome outcome, Optional<String> failure) {

  public enum Outcome {
    /** Deleted: the server no longer serves it. */
    DELETED,
    /** The server did not have it: nothing to delete. */
    ALREADY_ABSENT,
    /** The server accepted but still serves it (someone else uploaded it too, or it lied). */
    STILL_SERVED,
    /** The server accepted; the check afterwards could not be made. */
    UNCONFIRMED,
    /** The server refused (401, 403, another 4xx). */
    REFUSED,
    /** The server could not be reached, or failed, on every attempt. */
    UNREACHABLE
  }

  public FileServerDeletion {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(failure, "failure");
  }

  public boolean confirmed() {
    return outcome == Outcome.DELETED || outcome == Outcome.ALREADY_ABSENT;
  }
}
