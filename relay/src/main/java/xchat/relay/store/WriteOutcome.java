package xchat.relay.store;

import xchat.protocol.event.NostrEvent;
import xchat.protocol.message.OkPrefix;

/** What the store did with one event, in the terms of a NIP-01 OK reply. */
public sealed interface WriteOutcome {

  /** OK's accepted flag. */
  boolean accepted();

  /** OK's message: empty, or {@code "<prefix>: <text>"}. */
  String message();

  /** Written, and durable as {@link Durability} promises. */
  record Stored(NostrEvent event) implements WriteOutcome {
    @Override
    public boolean accepted() {
      return true;
    }

    @Override
    public String message() {
      return "";
    }
  }

  /**
   * Nothing written, and nothing needs to be: the same event is stored, or (for a replaceable or
   * addressable event) a newer version of its address is.
   */
  record Duplicate(String text) implements WriteOutcome {
    @Override
    public boolean accepted() {
      return true;
    }

    @Override
    public String message() {
      return OkPrefix.format(OkPrefix.DUPLICATE, text);
    }
  }

  /** A request carried out without storing the request itself (NIP-62 vanish). */
  record Applied(String text) implements WriteOutcome {
    @Override
    public boolean accepted() {
      return true;
    }

    @Override
    public String message() {
      return text;
    }
  }

  /** Refused; retrying the same event will be refused again unless the prefix is transient. */
  record Rejected(OkPrefix prefix, String text) implements WriteOutcome {
    public Rejected {
      if (prefix == null || text == null) {
        throw new IllegalArgumentException("prefix and text are required");
      }
    }

    @Override
    public boolean accepted() {
      return false;
    }

    @Override
    public String message() {
      return OkPrefix.format(prefix, text);
    }
  }
}
