package xchat.persistence;

/**
 * The store's files use a key layout this build does not read (a newer one: older layouts are
 * migrated on open). Nothing was written; open it with a build that supports {@link #found()}.
 */
public final class UnsupportedLayoutException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final int found;
  private final int supported;

  public UnsupportedLayoutException(String store, int found, int supported) {
    super("the store at " + store + " uses key layout " + found + "; this build reads layout " + supported);
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
