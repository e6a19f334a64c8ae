package xchat.engine.api;

/** A request the engine refused or could not carry out; {@link #reason()} says which. */
public final class XChatException extends RuntimeException {

  /** Why a call failed. */
  public enum Reason {
    /** The home directory holds no account: initialise it first. */
    NO_ACCOUNT,
    /** The home directory already holds an account. */
    ACCOUNT_EXISTS,
    /** The passphrase does not unlock the store. */
    WRONG_PASSPHRASE,
    /** Another process has this home open. */
    LOCKED,
    /** The store is damaged or not an xchat store. */
    CORRUPTED,
    /** A key, URL, name or id given by the caller is not valid. */
    INVALID_ARGUMENT,
    /** No circle of that name. */
    UNKNOWN_CIRCLE,
    /** A circle of that name exists already. */
    CIRCLE_EXISTS,
    /** No message with that id in the circle (never seen, or erased). */
    UNKNOWN_MESSAGE,
    /** Only the author can delete a message for everyone. */
    NOT_AUTHOR,
    /** The engine is closed. */
    CLOSED,
    /** Reading or writing the store failed. */
    STORAGE,
    /** The engine did not answer in time. */
    TIMEOUT
  }

  private final Reason reason;

  public XChatException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public XChatException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
