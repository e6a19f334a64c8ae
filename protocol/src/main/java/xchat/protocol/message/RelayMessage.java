package xchat.protocol.message;

import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;

/**
 * A message from relay to client: NIP-01 EVENT, OK, EOSE, CLOSED, NOTICE; NIP-42 AUTH; NIP-45
 * COUNT; NIP-77 NEG-MSG, NEG-ERR. Parse and write with {@link RelayMessageJson}.
 */
public sealed interface RelayMessage {

  /** The first array element on the wire. */
  String type();

  default String toJson() {
    return RelayMessageJson.write(this);
  }

  /** {@code ["EVENT", <subscription id>, <event>]}. */
  record EventMessage(String subscriptionId, NostrEvent event) implements RelayMessage {
    public EventMessage {
      SubscriptionIds.require(subscriptionId);
      if (event == null) {
        throw new IllegalArgumentException("event must not be null");
      }
    }

    @Override
    public String type() {
      return "EVENT";
    }
  }

  /** {@code ["OK", <event id>, <accepted>, <message>]}; see {@link OkPrefix} for the message. */
  record Ok(EventId eventId, boolean accepted, String message) implements RelayMessage {
    public Ok {
      if (eventId == null) {
        throw new IllegalArgumentException("event id must not be null");
      }
      Text.requireText(message, "OK message");
    }

    public OkPrefix.Outcome outcome() {
      return OkPrefix.classify(accepted, message);
    }

    @Override
    public String type() {
      return "OK";
    }
  }

  /** {@code ["EOSE", <subscription id>]}. */
  record Eose(String subscriptionId) implements RelayMessage {
    public Eose {
      SubscriptionIds.require(subscriptionId);
    }

    @Override
    public String type() {
      return "EOSE";
    }
  }

  /** {@code ["CLOSED", <subscription id>, <message>]}, with OK's prefix convention. */
  record Closed(String subscriptionId, String message) implements RelayMessage {
    public Closed {
      SubscriptionIds.require(subscriptionId);
      Text.requireText(message, "CLOSED message");
    }

    /** A CLOSED always ends the subscription; this says whether retrying can help. */
    public OkPrefix.Outcome outcome() {
      return OkPrefix.classify(false, message);
    }

    @Override
    public String type() {
      return "CLOSED";
    }
  }

  /** {@code ["NOTICE", <message>]}. */
  record Notice(String message) implements RelayMessage {
    public Notice {
      Text.requireText(message, "NOTICE message");
    }

    @Override
    public String type() {
      return "NOTICE";
    }
  }

  /** NIP-42 {@code ["AUTH", <challenge>]}. */
  record AuthChallenge(String challenge) implements RelayMessage {
    public AuthChallenge {
      Text.requireText(challenge, "challenge");
    }

    @Override
    public String type() {
      return "AUTH";
    }
  }

  /** NIP-45 {@code ["COUNT", <subscription id>, {"count": <n>}]}. */
  record CountResult(String subscriptionId, long count) implements RelayMessage {
    public CountResult {
      SubscriptionIds.require(subscriptionId);
      if (count < 0) {
        throw new IllegalArgumentException("count must not be negative");
      }
    }

    @Override
    public String type() {
      return "COUNT";
    }
  }

  /** NIP-77 {@code ["NEG-MSG", <subscription id>, <message hex>]}, relay to client. */
  record NegMsg(String subscriptionId, String messageHex) implements RelayMessage {
    public NegMsg {
      SubscriptionIds.require(subscriptionId);
      Text.requireNegentropyHex(messageHex, "message");
    }

    @Override
    public String type() {
      return "NEG-MSG";
    }
  }

  /** NIP-77 {@code ["NEG-ERR", <subscription id>, <reason>]}; the subscription is closed. */
  record NegErr(String subscriptionId, String reason) implements RelayMessage {
    public NegErr {
      SubscriptionIds.require(subscriptionId);
      Text.requireText(reason, "NEG-ERR reason");
    }

    @Override
    public String type() {
      return "NEG-ERR";
    }
  }
}
