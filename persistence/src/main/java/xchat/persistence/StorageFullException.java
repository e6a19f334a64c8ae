package xchat.persistence;

/** The disk is full: RocksDB reported NoSpace. The batch was not committed. */
public final class StorageFullException extends StoreException {
  private static final long serialVersionUID = 1L;

  public StorageFullException(String message) {
    super(message);
  }

  public StorageFullException(String message, Throwable cause) {
    super(message, cause);
  }
}
