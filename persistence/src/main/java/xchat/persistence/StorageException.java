package xchat.persistence;

/** Any other I/O failure reported by RocksDB; the message carries its status. */
public final class StorageException extends StoreException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
