package xchat.persistence;

/**
 * A stored value failed AEAD authentication: a flipped bit, a value moved to another key or
 * column family, or a value sealed under another key. It names the column family, not the content.
 */
public final class IntegrityException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final String columnFamily;

  public IntegrityException(String columnFamily, String detail) {
    super("value in column family '" + columnFamily + "' failed authentication: " + detail);
    this.columnFamily = columnFamily;
  }

  public String columnFamily() {
    return columnFamily;
  }
}
