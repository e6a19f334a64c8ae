package xchat.engine.media;

import java.net.URI;
import java.util.List;
import xchat.protocol.blossom.BlobDescriptor;

/** What each server of a list did with one upload, in the order of the list. */
public record UploadReport(String sha256, List<ServerUpload> servers) {

  public UploadReport {
    servers = List.copyOf(servers);
  }

  /** One server's outcome. */
  public sealed interface ServerUpload {
    URI server();

    /** Stored now; the server's descriptor names the same hash and size. */
    record Uploaded(URI server, BlobDescriptor descriptor, int attempts) implements ServerUpload {}

    /** The server already had the blob (an earlier attempt completed): nothing was sent. */
    record AlreadyStored(URI server, URI blobUrl) implements ServerUpload {}

    record Failed(URI server, TransferFailure failure, int attempts) implements ServerUpload {}
  }

  /** Where the blob can now be fetched, in list order. */
  public List<URI> blobUrls() {
    return servers.stream()
        .<URI>mapMulti(
            (server, out) -> {
              if (server instanceof ServerUpload.Uploaded uploaded) {
                out.accept(URI.create(uploaded.descriptor().url()));
              } else if (server instanceof ServerUpload.AlreadyStored stored) {
                out.accept(stored.blobUrl());
              }
            })
        .toList();
  }

  public boolean storedAnywhere() {
    return !blobUrls().isEmpty();
  }

  public boolean storedEverywhere() {
    return servers.stream().noneMatch(server -> server instanceof ServerUpload.Failed);
  }
}
