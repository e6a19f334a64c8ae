package xchat.persistence;

/** The directory holds a store that cannot be read: missing files or column families, a RocksDB corruption status, or an undecodable record. */
public final class StoreCorruptedException extends StoreException {
  private static final long serialVersionUID = 1L;

  public StoreCorruptedException(String message) {
    super(message);
  }

  public StoreCorruptedException(String message, Throwable cause) {
    super(message, cause);
  }
}
