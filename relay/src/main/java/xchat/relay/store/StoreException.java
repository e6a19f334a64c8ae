package xchat.relay.store;

/** The RocksDB store failed; the message names the operation, never event content. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String operation, Throwable cause) {
    super(operation + " failed", cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
