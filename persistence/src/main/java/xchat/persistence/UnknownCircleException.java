package xchat.persistence;

/** An operation named a circle that this store does not hold (never created, or deleted). */
public final class UnknownCircleException extends StoreException {
  private static final long serialVersionUID = 1L;

  public UnknownCircleException(String message) {
    super(message);
  }

  public UnknownCircleException(String message, Throwable cause) {
    super(message, cause);
  }
}
