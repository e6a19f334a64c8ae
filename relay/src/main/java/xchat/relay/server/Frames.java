package xchat.relay.server;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import com.fasterxml.jackson.core.JsonGenerator;
import xchat.protocol.event.EventJson;
import xchat.relay.store.StoredEvent;

/** Relay-to-client frames built around an event's JSON that was serialised once. */
public final class Frames {
  private static final byte[] END = {']'};

  private Frames() {}

  /** {@code ["EVENT", <subscription id>, <event json>]}. */
  static String event(String subscriptionId, String eventJson) {
    StringBuilder out = new StringBuilder(eventJson.length() + subscriptionId.length() + 16);
    out.append("[\"EVENT\",").append(quote(subscriptionId)).append(',').append(eventJson);
    return out.append(']').toString();
  }

  /** {@code ["EVENT",<subscription id>,} in UTF-8: what every stored event of one REQ shares. */
  public static byte[] eventHead(String subscriptionId) {
    return ("[\"EVENT\"," + quote(subscriptionId) + ",").getBytes(StandardCharsets.UTF_8);
  }

  /** {@code head}, the event as it was stored, {@code ]}: neither re-parsed nor re-serialised. */
  public static String event(byte[] head, StoredEvent event) {
    return event.between(head, END);
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
