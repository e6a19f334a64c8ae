package xchat.engine.media;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/** What each server confirmed about deleting one blob, in the order of the list. */
public record DeleteReport(String sha256, List<ServerDeletion> servers) {

  public DeleteReport {
    servers = List.copyOf(servers);
  }

  /** A server's answer, checked afterwards with HEAD where the server said yes. */
  public enum Outcome {
    /** The server accepted the delete and no longer serves the blob. */
    DELETED,
    /** The server did not have it (404): nothing to delete. */
    ALREADY_ABSENT,
    /** The server accepted, but still serves it (another uploader owns it, or it lied). */
    STILL_SERVED,
    /** The server accepted; the follow-up HEAD could not be made. */
    UNCONFIRMED,
    /** The server refused (401, 403 or another 4xx). */
    REFUSED,
    /** The server could not be reached, or failed, on every attempt. */
    UNREACHABLE
  }

  public record ServerDeletion(URI server, Outcome outcome, Optional<TransferFailure> failure) {
    public boolean confirmed() {
      return outcome == Outcome.DELETED || outcome == Outcome.ALREADY_ABSENT;
    }
  }

  public boolean confirmedEverywhere() {
    return servers.stream().allMatch(ServerDeletion::confirmed);
  }
}
