package xchat.engine.transport;

/** A NIP-11 document that is not a JSON object. The message never echoes the document. */
public final class RelayInfoParseException extends Exception {
  private static final long serialVersionUID = 1L;

  public RelayInfoParseException(String detail) {
    super(detail);
  }
}
