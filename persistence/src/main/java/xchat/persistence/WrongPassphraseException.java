package xchat.persistence;

/** The passphrase does not unseal the master key (or the keyring was altered). Nothing was opened. */
public final class WrongPassphraseException extends StoreException {
  private static final long serialVersionUID = 1L;

  public WrongPassphraseException(String message) {
    super(message);
  }

  public WrongPassphraseException(String message, Throwable cause) {
    super(message, cause);
  }
}
