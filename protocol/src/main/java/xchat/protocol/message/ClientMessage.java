package xchat.protocol.message;

import java.util.List;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;

/**
 * A message from client to relay: NIP-01 EVENT, REQ, CLOSE; NIP-42 AUTH; NIP-45 COUNT; NIP-77
 * NEG-OPEN, NEG-MSG, NEG-CLOSE. Parse and write with {@link ClientMessageJson}.
 */
public sealed interface ClientMessage {

  /** The first array element on the wire. */
  String type();

  default String toJson() {
    return ClientMessageJson.write(this);
  }

  /** {@code ["EVENT", <event>]}. */
  record EventMessage(NostrEvent event) implements ClientMessage {
    public EventMessage {
      requireEvent(event);
    }

    @Override
    public String type() {
      return "EVENT";
    }
  }

  /** {@code ["REQ", <subscription id>, <filter>, ...]}: at least one filter. */
  record Req(String subscriptionId, List<Filter> filters) implements ClientMessage {
    public Req {
      SubscriptionIds.require(subscriptionId);
      filters = requireFilters(filters);
    }

    @Override
    public String type() {
      return "REQ";
    }
  }

  /** {@code ["CLOSE", <subscription id>]}. */
  record Close(String subscriptionId) implements ClientMessage {
    public Close {
      SubscriptionIds.require(subscriptionId);
    }

    @Override
    public String type() {
      return "CLOSE";
    }
  }

  /** NIP-42 {@code ["AUTH", <signed kind-22242 event>]}. */
  record Auth(NostrEvent event) implements ClientMessage {
    public Auth {
      requireEvent(event);
    }

    @Override
    public String type() {
      return "AUTH";
    }
  }

  /** NIP-45 {@code ["COUNT", <subscription id>, <filter>, ...]}. */
  record Count(String subscriptionId, List<Filter> filters) implements ClientMessage {
    public Count {
      SubscriptionIds.require(subscriptionId);
      filters = requireFilters(filters);
    }

    @Override
    public String type() {
      return "COUNT";
    }
  }

  /** NIP-77 {@code ["NEG-OPEN", <subscription id>, <filter>, <initial message hex>]}. */
  record NegOpen(String subscriptionId, Filter filter, String initialMessageHex)
      implements ClientMessage {
    public NegOpen {
      SubscriptionIds.require(subscriptionId);
      if (filter == null) {
        throw new IllegalArgumentException("NEG-OPEN needs a filter");
      }
      Text.requireNegentropyHex(initialMessageHex, "initial message");
    }

    @Override
    public String type() {
      return "NEG-OPEN";
    }
  }

  /** NIP-77 {@code ["NEG-MSG", <subscription id>, <message hex>]}, client to relay. */
  record NegMsg(String subscriptionId, String messageHex) implements ClientMessage {
    public NegMsg {
      SubscriptionIds.require(subscriptionId);
      Text.requireNegentropyHex(messageHex, "message");
    }

    @Override
    public String type() {
      return "NEG-MSG";
    }
  }

  /** NIP-77 {@code ["NEG-CLOSE", <subscription id>]}. */
  record NegClose(String subscriptionId) implements ClientMessage {
    public NegClose {
      SubscriptionIds.require(subscriptionId);
    }

    @Override
    public String type() {
      return "NEG-CLOSE";
    }
  }

  private static void requireEvent(NostrEvent event) {
    if (event == null) {
      throw new IllegalArgumentException("event must not be null");
    }
  }

  private static List<Filter> requireFilters(List<Filter> filters) {
    if (filters == null || filters.isEmpty()) {
      throw new IllegalArgumentException("at least one filter is required");
    }
    return List.copyOf(filters);
  }
}
