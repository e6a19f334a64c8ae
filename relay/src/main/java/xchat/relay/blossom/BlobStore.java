package xchat.relay.blossom;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xchat.protocol.blossom.Sha256Hex;
import xchat.protocol.event.EventJson;
import xchat.protocol.keys.PublicKey;

/**
 * Blobs on disk, named by their SHA-256, with the pubkeys that uploaded each one.
 *
 * <pre>
 * dataDir/blobs/&lt;sha256&gt;        the bytes, never modified once named
 * dataDir/owners/&lt;sha256&gt;.json  size, type, and each owner's upload time
 * dataDir/incoming/*.part         uploads in flight; cleared on open
 * </pre>
 *
 * A blob is named only after its bytes are complete and hashed, by an atomic rename, so a reader
 * never sees a partial blob. Owner records are small and rewritten whole (write, then rename). A
 * blob lives while it has an owner: deleting removes the caller's ownership, and the bytes go with
 * the last owner. Mutations are serialised on this object; streaming happens outside the lock.
 */
public final class BlobStore {
  private static final Logger LOG = LoggerFactory.getLogger(BlobStore.class);

  /** One stored blob. {@code owners} maps pubkey hex to that owner's upload time (unix seconds). */
  public record StoredBlob(String sha256, long size, String type, Map<String, Long> owners) {
    public StoredBlob {
      Sha256Hex.require(sha256, "sha256");
      owners = Map.copyOf(owners);
    }
  }

  /** What a delete did. */
  public enum Release {
    NOT_FOUND,
    NOT_OWNER,
    /** The caller's ownership is gone; other owners keep the blob. */
    RELEASED,
    /** The caller was the last owner: the bytes are deleted. */
    DELETED
  }

  private final Path blobs;
  private final Path owners;
  private final Path incoming;
  private final boolean syncWrites;
  private final Map<String, StoredBlob> index = new HashMap<>();

  private BlobStore(Path dataDir, boolean syncWrites) {
    this.blobs = dataDir.resolve("blobs");
    this.owners = dataDir.resolve("owners");
    this.incoming = dataDir.resolve("incoming");
    this.syncWrites = syncWrites;
  }

  /** Opens or creates the store, dropping unfinished uploads and records without bytes. */
  public static BlobStore open(Path dataDir, boolean syncWrites) throws IOException {
    BlobStore store = new BlobStore(dataDir, syncWrites);
    Files.createDirectories(store.blobs);
    Files.createDirectories(store.owners);
    Files.createDirectories(store.incoming);
    store.load();
    return store;
  }

  private void load() throws IOException {
    try (Stream<Path> parts = Files.list(incoming)) {
      for (Path part : parts.toList()) {
        Files.deleteIfExists(part);
      }
    }
    try (Stream<Path> records = Files.list(owners)) {
      for (Path record : records.toList()) {
        String name = record.getFileName().toString();
        String sha256 = name.endsWith(".json") ? name.substring(0, name.length() - 5) : "";
        if (!Sha256Hex.isValid(sha256) || !Files.exists(blobs.resolve(sha256))) {
          Files.deleteIfExists(record); // a temporary, or a record whose bytes never landed
          continue;
        }
        index.put(sha256, readRecord(sha256, Files.readAllBytes(record)));
      }
    }
    try (Stream<Path> files = Files.list(blobs)) {
      for (Path blob : files.toList()) {
        if (!index.containsKey(blob.getFileName().toString())) {
          // Renamed into place, but the process died before the owner record: nobody was told.
          LOG.info("dropping a blob without owners");
          Files.deleteIfExists(blob);
        }
      }
    }
  }

  /** A fresh file for an upload in flight. */
  public Path newIncomingFile() throws IOException {
    return Files.createFile(incoming.resolve(UUID.randomUUID() + ".part"));
  }

  public synchronized Optional<StoredBlob> find(String sha256) {
    return Optional.ofNullable(index.get(sha256));
  }

  /** Where the bytes of a stored blob are; read it only after {@link #find} saw it. */
  public Path blobPath(String sha256) {
    return blobs.resolve(Sha256Hex.require(sha256, "sha256"));
  }

  /**
   * Names a complete, hashed upload as {@code sha256} and records {@code owner}. When the blob
   * already exists the upload is dropped (same hash, same bytes) and only the owner is added.
   */
  public synchronized StoredBlob commit(
      Path upload, String sha256, long size, String type, PublicKey owner, long nowSeconds)
      throws IOException {
    StoredBlob existing = index.get(sha256);
    Map<String, Long> holders = new TreeMap<>();
    if (existing != null) {
      Files.deleteIfExists(upload);
      holders.putAll(existing.owners());
    } else {
      if (syncWrites) {
        force(upload);
      }
      move(upload, blobPath(sha256));
    }
    holders.putIfAbsent(owner.hex(), nowSeconds);
    StoredBlob stored =
        new StoredBlob(sha256, size, existing == null ? type : existing.type(), holders);
    writeRecord(stored);
    index.put(sha256, stored);
    return stored;
  }

  public synchronized Release release(String sha256, PublicKey owner) throws IOException {
    StoredBlob existing = index.get(sha256);
    if (existing == null) {
      return Release.NOT_FOUND;
    }
    if (!existing.owners().containsKey(owner.hex())) {
      return Release.NOT_OWNER;
    }
    Map<String, Long> holders = new TreeMap<>(existing.owners());
    holders.remove(owner.hex());
    if (holders.isEmpty()) {
      // Record first: a crash between the two leaves an ownerless blob, which open() deletes.
      Files.deleteIfExists(recordPath(sha256));
      Files.deleteIfExists(blobPath(sha256));
      index.remove(sha256);
      return Release.DELETED;
    }
    StoredBlob stored = new StoredBlob(sha256, existing.size(), existing.type(), holders);
    writeRecord(stored);
    index.put(sha256, stored);
    return Release.RELEASED;
  }

  /** Blobs {@code owner} uploaded within [since, until], oldest first, at most {@code max}. */
  public synchronized List<StoredBlob> listOwnedBy(
      PublicKey owner, long since, long until, int max) {
    String key = owner.hex();
    List<StoredBlob> out = new ArrayList<>();
    for (StoredBlob blob : index.values()) {
      Long uploaded = blob.owners().get(key);
      if (uploaded != null && uploaded >= since && uploaded <= until) {
        out.add(blob);
      }
    }
    out.sort(
        Comparator.comparingLong((StoredBlob blob) -> blob.owners().get(key))
            .thenComparing(StoredBlob::sha256));
    return out.size() > max ? new ArrayList<>(out.subList(0, max)) : out;
  }

  public synchronized int size() {
    return index.size();
  }

  private Path recordPath(String sha256) {
    return owners.resolve(sha256 + ".json");
  }

  private void writeRecord(StoredBlob blob) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    try (JsonGenerator out = EventJson.FACTORY.createGenerator(buffer)) {
      out.writeStartObject();
      out.writeNumberField("size", blob.size());
      out.writeStringField("type", blob.type());
      out.writeObjectFieldStart("owners");
      for (Map.Entry<String, Long> owner : new TreeMap<>(blob.owners()).entrySet()) {
        out.writeNumberField(owner.getKey(), owner.getValue());
      }
      out.writeEndObject();
      out.writeEndObject();
    }
    Path temporary = owners.resolve(blob.sha256() + ".json." + UUID.randomUUID() + ".tmp");
    try (FileChannel channel =
        FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.wrap(buffer.toByteArray());
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      if (syncWrites) {
        channel.force(true);
      }
    }
    move(temporary, recordPath(blob.sha256()));
  }

  private static StoredBlob readRecord(String sha256, byte[] json) throws IOException {
    long size = -1;
    String type = null;
    Map<String, Long> holders = new TreeMap<>();
    try (JsonParser parser = EventJson.FACTORY.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("owner record of a blob is not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "size" -> size = parser.getLongValue();
          case "type" -> type = parser.getText();
          case "owners" -> {
            if (value != JsonToken.START_OBJECT) {
              throw new IOException("owners of a blob must be an object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
              String owner = parser.currentName();
              parser.nextToken();
              holders.put(owner, parser.getLongValue());
            }
          }
          default -> parser.skipChildren();
        }
      }
    }
    if (size < 0 || type == null || holders.isEmpty()) {
      throw new IOException("owner record of a blob is incomplete");
    }
    return new StoredBlob(sha256, size, type, holders);
  }

  private static void force(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
