package xchat.persistence;

/** Another process (or another open handle) holds the store's lock. */
public final class StoreLockedException extends StoreException {
  private static final long serialVersionUID = 1L;

  public StoreLockedException(String message) {
    super(message);
  }

  public StoreLockedException(String message, Throwable cause) {
    super(message, cause);
  }
}
