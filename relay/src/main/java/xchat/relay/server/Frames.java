package xchat.relay.server;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import com.fasterxml.jackson.core.JsonGenerator;
import xchat.protocol.event.EventJson;

/** Relay-to-client frames built around an event's JSON that was serialised once. */
final class Frames {
  private Frames() {}

  /** {@code ["EVENT", <subscription id>, <event json>]}. */
  static String event(String subscriptionId, String eventJson) {
    StringBuilder out = new StringBuilder(eventJson.length() + subscriptionId.length() + 16);
    out.append("[\"EVENT\",").append(quote(subscriptionId)).append(',').append(eventJson);
    return out.append(']').toString();
  }

  static String quote(String text) {
    StringWriter buffer = new StringWriter(text.length() + 2);
    try (JsonGenerator generator = EventJson.FACTORY.createGenerator(buffer)) {
      generator.writeString(text);
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory failed", e);
    }
    return buffer.toString();
  }
}
