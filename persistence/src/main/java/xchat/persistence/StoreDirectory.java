package xchat.persistence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * What a store's directory holds before RocksDB is asked to open it, so that a missing, foreign
 * or damaged directory gets an error that says what was found instead of RocksDB's own.
 */
final class StoreDirectory {
  private StoreDirectory() {}

  static StoreException translateOpen(RocksDBException e, Path directory, boolean create) {
    StoreException translated =
        StoreErrors.translate(e, (create ? "creating" : "opening") + " the store at " + directory);
    Status status = e.getStatus();
    boolean unreadable =
        status != null
            && (status.getCode() == Status.Code.IOError
                || status.getCode() == Status.Code.InvalidArgument
                || status.getCode() == Status.Code.NotSupported);
    if (!create && unreadable && translated instanceof StorageException) {
      return new StoreCorruptedException(
          "the store at " + directory + " cannot be read: " + status.getCodeString() + " ("
              + status.getState() + ")",
          e);
    }
    return translated;
  }

  static void inspectExisting(Path directory) {
    if (!Files.exists(directory)) {
      throw new StoreNotFoundException("no store at " + directory + ": the directory does not exist");
    }
    if (!Files.isDirectory(directory)) {
      throw new StoreNotFoundException("no store at " + directory + ": it is a file, not a directory");
    }
    List<String> names = listNames(directory);
    if (names.isEmpty()) {
      throw new StoreNotFoundException("no store at " + directory + ": the directory is empty");
    }
    Path current = directory.resolve("CURRENT");
    if (!Files.isRegularFile(current)) {
      throw new StoreCorruptedException(
          directory + " is not a readable store: it has no CURRENT file; found " + summary(names));
    }
    String manifest;
    try {
      manifest = Files.readString(current, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw new StoreCorruptedException(directory + "/CURRENT cannot be read: " + e.getMessage(), e);
    }
    if (!manifest.matches("MANIFEST-[0-9]{1,20}")) {
      throw new StoreCorruptedException(
          directory + "/CURRENT does not name a MANIFEST file (" + manifest.length() + " bytes)");
    }
    if (!Files.isRegularFile(directory.resolve(manifest))) {
      throw new StoreCorruptedException(
          directory + "/CURRENT names " + manifest + ", which is missing; found " + summary(names));
    }
  }

  static void prepareNew(Path directory) {
    try {
      if (Files.exists(directory)) {
        if (!Files.isDirectory(directory)) {
          throw new StoreAlreadyExistsException(directory + " exists and is not a directory");
        }
        List<String> names = listNames(directory);
        if (names.contains("CURRENT")) {
          throw new StoreAlreadyExistsException("a store already exists at " + directory);
        }
        if (!names.isEmpty()) {
          throw new StoreAlreadyExistsException(
              directory + " is not empty (found " + summary(names) + "); refusing to create a store in it");
        }
      }
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new StorageException("cannot create " + directory + ": " + e.getMessage(), e);
    }
  }

  private static List<String> listNames(Path directory) {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.map(path -> path.getFileName().toString()).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new StorageException("cannot list " + directory + ": " + e.getMessage(), e);
    }
  }

  private static String summary(List<String> names) {
    return names.size() <= 8
        ? String.join(", ", names)
        : String.join(", ", names.subList(0, 8)) + " and " + (names.size() - 8) + " more";
  }

  static void checkColumnFamilies(Path directory) throws RocksDBException {
    Set<String> found = new TreeSet<>();
    try (Options listing = new Options()) {
      for (byte[] name : RocksDB.listColumnFamilies(listing, directory.toString())) {
        found.add(new String(name, StandardCharsets.UTF_8));
      }
    }
    Set<String> expected = new TreeSet<>();
    expected.add("default");
    for (Cf cf : Cf.values()) {
      expected.add(cf.cfName);
    }
    Set<String> missing = new TreeSet<>(expected);
    missing.removeAll(found);
    Set<String> unexpected = new TreeSet<>(found);
    unexpected.removeAll(expected);
    if (!missing.isEmpty()) {
      throw new StoreCorruptedException(
          "the store at " + directory + " lacks column families " + missing + "; found " + found);
    }
    if (!unexpected.isEmpty()) {
      throw new StoreCorruptedException(
          "the store at " + directory + " has unknown column families " + unexpected
              + " (written by a newer version?)");
    }
  }
}
