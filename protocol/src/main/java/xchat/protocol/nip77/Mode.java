package xchat.protocol.nip77;

/** The mode of a range, which decides its payload (NIP-77 appendix, "Range"). */
public enum Mode {
  SKIP(0),
  FINGERPRINT(1),
  ID_LIST(2);

  private final int code;

  Mode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
