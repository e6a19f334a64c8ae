package xchat.relay.server;

import xchat.protocol.event.EventJson;
import xchat.protocol.message.SubscriptionIds;

/** The NIP-11 relay information document, built from the limits the relay enforces. */
final class RelayInformation {
  static final String MEDIA_TYPE = "application/nostr+json";
  static final int[] SUPPORTED_NIPS = {1, 9, 11, 40, 42, 59, 62, 77};
  static final String SOFTWARE = "xchat-relay";
  static final String VERSION = "0.1.0";

  private RelayInformation() {}

  static String json(RelayConfig config) {
    RelayLimits limits = config.limits();
    return EventJson.write(out -> {
      out.writeStartObject();
      out.writeStringField("name", config.name());
      out.writeStringField("description", config.description());
      out.writeStringField("software", SOFTWARE);
      out.writeStringField("version", VERSION);
      out.writeArrayFieldStart("supported_nips");
      for (int nip : SUPPORTED_NIPS) {
        out.writeNumber(nip);
      }
      out.writeEndArray();
      out.writeObjectFieldStart("limitation");
      out.writeNumberField("max_message_length", limits.maxMessageBytes());
      out.writeNumberField("max_subscriptions", limits.maxSubscriptions());
      out.writeNumberField("max_filters", limits.maxFilters());
      out.writeNumberField("max_limit", limits.maxLimit());
      out.writeNumberField("max_subid_length", SubscriptionIds.MAX_LENGTH);
      out.writeNumberField("max_event_tags", limits.maxEventTags());
      out.writeNumberField("max_content_length", limits.maxContentLength());
      out.writeNumberField("min_pow_difficulty", 0);
      out.writeBooleanField("auth_required", config.authRequired());
      out.writeBooleanField("payment_required", false);
      out.writeBooleanField("restricted_writes", config.authRequired());
      out.writeNumberField("created_at_lower_limit", limits.createdAtLowerLimit());
      out.writeNumberField("created_at_upper_limit", limits.createdAtUpperLimit());
      out.writeNumberField("default_limit", limits.defaultLimit());
      out.writeEndObject();
      out.writeEndObject();
    });
  }
}
