package xchat.cli.demo;

/** A step of the demo did not happen as it should: the demo stops and exits 1. */
public final class DemoFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DemoFailure(String message) {
    super(message);
  }
}
