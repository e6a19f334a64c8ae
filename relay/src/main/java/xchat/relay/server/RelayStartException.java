package xchat.relay.server;

/** The relay could not start: its store would not open or its address would not bind. */
public final class RelayStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RelayStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
