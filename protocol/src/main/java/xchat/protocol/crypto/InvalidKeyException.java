package xchat.protocol.crypto;

/** A key that is not a valid secp256k1 scalar or point. The message never contains key bytes. */
public final class InvalidKeyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidKeyException(String reason) {
    super(reason);
  }

  public InvalidKeyException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
