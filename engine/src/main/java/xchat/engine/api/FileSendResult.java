package xchat.engine.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** How {@link XChat#sendFile} went: per file server, and the kind-15 message if one was sent. */
public sealed interface FileSendResult {

  /** What each of the circle's file servers did with the encrypted blob, in the circle's order. */
  List<ServerUpload> servers();

  /**
   * At least one server stored the blob, and the kind-15 message is in the outbox (QUEUED): its
   * handle follows it like any {@link XChat#send} message.
   */
  record Sent(MessageHandle message, FileInfo file, List<ServerUpload> servers) implements FileSendResult {
    public Sent {
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(file, "file");
      servers = List.copyOf(servers);
    }
  }

  /** No server stored the blob, so no message was sent; {@link #servers()} says why. */
  record NotSent(List<ServerUpload> servers) implements FileSendResult {
    public NotSent {
      servers = List.copyOf(servers);
    }
  }

  /** One server's outcome. {@code failure} is a failure kind and the server's reason, never key bytes. */
  record ServerUpload(String server, Status status, Optional<String> failure) {
    public enum Status {
      /** Stored now. */
      UPLOADED,
      /** The server already held the blob (an earlier attempt got through): nothing was sent. */
      ALREADY_STORED,
      /** Not stored after every retry. */
      FAILED
    }

    public ServerUpload {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(failure, "failure");
    }

    public boolean stored() {
      return status != Status.FAILED;
    }
  }
}
