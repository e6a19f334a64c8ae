package xchat.relay.policy;

import xchat.protocol.message.OkPrefix;

/** What the relay does with a valid EVENT. */
public sealed interface EventDecision {

  /** Store it, honestly. */
  EventDecision STORE = new Store();

  /** The honest path: the store decides and the OK reports what it decided. */
  record Store() implements EventDecision {}

  /** Answer OK true without storing or broadcasting anything: a relay that lies. */
  record AcknowledgeWithoutStoring() implements EventDecision {}

  /** Answer OK false with this prefix and text, storing nothing. */
  record Refuse(OkPrefix prefix, String text) implements EventDecision {
    public Refuse {
      if (prefix == null || text == null) {
        throw new IllegalArgumentException("prefix and text are required");
      }
    }
  }
}
