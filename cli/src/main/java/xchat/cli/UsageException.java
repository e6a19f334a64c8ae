package xchat.cli;

/** Bad usage: the command line or its inputs are wrong. Exit code 2. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
