package xchat.persistence;

import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/** Maps RocksDB statuses to the store's typed errors. */
final class StoreErrors {
  private StoreErrors() {}

  static StoreException translate(RocksDBException e, String operation) {
    Status status = e.getStatus();
    String detail = status != null && status.getState() != null ? status.getState() : String.valueOf(e.getMessage());
    String code = status == null ? "unknown status" : status.getCodeString();
    if (isNoSpace(e)) {
      return new StorageFullException(operation + " failed: the disk is full (" + detail + ")", e);
    }
    if (status != null && status.getCode() == Status.Code.Corruption) {
      return new StoreCorruptedException(operation + " failed: RocksDB reports corruption (" + detail + ")", e);
    }
    if (isLock(detail)) {
      return new StoreLockedException(
          operation + " failed: the store is in use by another process or handle (" + detail + ")", e);
    }
    return new StorageException(operation + " failed: " + code + " (" + detail + ")", e);
  }

  static boolean isNoSpace(RocksDBException e) {
    Status status = e.getStatus();
    if (status != null && status.getSubCode() == Status.SubCode.NoSpace) {
      return true;
    }
    String message = String.valueOf(e.getMessage()) + (status == null ? "" : " " + status.getState());
    return message.contains("No space left on device") || message.contains("NoSpace");
  }

  /**
   * An I/O failure of a write (a full disk among them) puts RocksDB in a state where it refuses
   * every later write until it is reopened.
   */
  static boolean stopsWrites(RocksDBException e) {
    Status status = e.getStatus();
    return isNoSpace(e) || (status != null && status.getCode() == Status.Code.IOError);
  }

  private static boolean isLock(String detail) {
    String lower = detail.toLowerCase(java.util.Locale.ROOT);
    return lower.contains("lock") && (lower.contains("hold") || lower.contains("temporarily unavailable")
        || lower.contains("already"));
  }
}
