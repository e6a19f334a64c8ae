package xchat.persistence;

/** No store where one was expected: the directory is missing or holds no RocksDB database. */
public final class StoreNotFoundException extends StoreException {
  private static final long serialVersionUID = 1L;

  public StoreNotFoundException(String message) {
    super(message);
  }

  public StoreNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
