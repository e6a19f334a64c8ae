package xchat.persistence;

/** {@code create} found a store already in the directory. */
public final class StoreAlreadyExistsException extends StoreException {
  private static final long serialVersionUID = 1L;

  public StoreAlreadyExistsException(String message) {
    super(message);
  }

  public StoreAlreadyExistsException(String message, Throwable cause) {
    super(message, cause);
  }
}
