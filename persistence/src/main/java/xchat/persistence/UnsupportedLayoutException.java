package xchat.persistence;

/**
 * The store's files use a key layout this build does not read: an older one it does not migrate,
 * or a newer one. Nothing was read or written; open it with a build that supports {@link #found()}.
 */
public final class UnsupportedLayoutException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final int found;
  private final int supported;

  public UnsupportedLayoutException(String store, int found, int supported) {
    super("the store at " + store + " uses key layout " + found + "; this build reads layout " + supported
        + (found < supported ? " and does not migrate older ones" : ""));
    this.found = found;
    this.supported = supported;
  }

  public int found() {
    return found;
  }

  public int supported() {
    return supported;
  }
}
