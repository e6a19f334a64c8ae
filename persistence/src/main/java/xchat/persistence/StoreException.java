package xchat.persistence;

/**
 * Every failure the store reports. Messages name what was found (a column family, a file, a
 * status), never key bytes or plaintext. Unchecked, so the engine's stream stages can let it
 * reach their supervisor; each subtype says what went wrong.
 */
public abstract sealed class StoreException extends RuntimeException
    permits WrongPassphraseException,
        IntegrityException,
        StoreCorruptedException,
        StoreNotFoundException,
        StoreAlreadyExistsException,
        StoreLockedException,
        StorageFullException,
        StorageException,
        UnknownCircleException,
        UnsupportedLayoutException {
  private static final long serialVersionUID = 1L;

  StoreException(String message) {
    super(message);
  }

  StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
