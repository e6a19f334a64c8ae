package xchat.persistence.crypto;

/** An AEAD tag did not verify: wrong key, tampered ciphertext, or a value moved to another key. */
public final class TagMismatchException extends Exception {
  private static final long serialVersionUID = 1L;

  public TagMismatchException(String detail) {
    super(detail);
  }
}
