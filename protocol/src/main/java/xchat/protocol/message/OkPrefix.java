package xchat.protocol.message;

import java.util.Optional;

/**
 * Machine-readable prefixes of OK and CLOSED messages: {@code "<prefix>: <human text>"}. The
 * list is NIP-01's standard set, NIP-42's {@code auth-required}, and {@code unsupported}, which
 * NIP-01 uses in its CLOSED examples.
 */
public enum OkPrefix {
  DUPLICATE("duplicate", Outcome.SUCCESS),
  POW("pow", Outcome.TERMINAL),
  BLOCKED("blocked", Outcome.TERMINAL),
  RATE_LIMITED("rate-limited", Outcome.TRANSIENT),
  INVALID("invalid", Outcome.TERMINAL),
  RESTRICTED("restricted", Outcome.TERMINAL),
  MUTE("mute", Outcome.TERMINAL),
  ERROR("error", Outcome.TRANSIENT),
  AUTH_REQUIRED("auth-required", Outcome.AUTH_REQUIRED),
  UNSUPPORTED("unsupported", Outcome.TERMINAL);

  /** What a sender should do after an OK or CLOSED. */
  public enum Outcome {
    /** Stored, or already stored ({@code duplicate}): stop sending. */
    SUCCESS,
    /** Retry later: {@code rate-limited}, {@code error}, or a prefix we do not know. */
    TRANSIENT,
    /** Retrying the same thing will fail again. */
    TERMINAL,
    /** Perform NIP-42 AUTH, then retry. */
    AUTH_REQUIRED
  }

  /** A message split into its known prefix, if any, and the human-readable rest. */
  public record Parsed(Optional<OkPrefix> prefix, String text) {
    public Parsed {
      if (prefix == null || text == null) {
        throw new IllegalArgumentException("prefix and text must not be null");
      }
    }
  }

  private final String wire;
  private final Outcome refusalOutcome;

  OkPrefix(String wire, Outcome refusalOutcome) {
    this.wire = wire;
    this.refusalOutcome = refusalOutcome;
  }

  /** The prefix as it appears on the wire, without the colon. */
  public String wire() {
    return wire;
  }

  /** The outcome of a refusal ({@code accepted == false}) that carries this prefix. */
  public Outcome refusalOutcome() {
    return refusalOutcome;
  }

  public static Optional<OkPrefix> fromWire(String word) {
    for (OkPrefix prefix : values()) {
      if (prefix.wire.equals(word)) {
        return Optional.of(prefix);
      }
    }
    return Optional.empty();
  }

  /**
   * Splits {@code "<prefix>: <text>"}. An unknown or missing prefix leaves the prefix empty and the
   * whole message as text, so nothing is lost.
   */
  public static Parsed parse(String message) {
    int colon = message.indexOf(':');
    if (colon > 0) {
      Optional<OkPrefix> prefix = fromWire(message.substring(0, colon));
      if (prefix.isPresent()) {
        return new Parsed(prefix, message.substring(colon + 1).stripLeading());
      }
    }
    return new Parsed(Optional.empty(), message);
  }

  public static String format(OkPrefix prefix, String text) {
    return prefix.wire + ": " + text;
  }

  /** Classifies an OK ({@code accepted} as sent) or a CLOSED ({@code accepted == false}). */
  public static Outcome classify(boolean accepted, String message) {
    if (accepted) {
      return Outcome.SUCCESS;
    }
    return parse(message).prefix().map(OkPrefix::refusalOutcome).orElse(Outcome.TRANSIENT);
  }
}
