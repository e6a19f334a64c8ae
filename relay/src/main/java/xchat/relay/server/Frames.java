package xchat.relay.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import com.fasterxml.jackson.core.JsonGenerator;
import xchat.protocol.event.EventJson;
import xchat.relay.store.StoredEvent;

/** Relay-to-client frames built around an event's JSON that was serialised once. */
public final class Frames {
  private static final byte[] EVENT_OPEN = "[\"EVENT\",".getBytes(StandardCharsets.US_ASCII);
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
    ByteArrayOutputStream head = new ByteArrayOutputStream(subscriptionId.length() + 16);
    head.writeBytes(EVENT_OPEN);
    writeQuoted(head, subscriptionId);
    head.write(',');
    return head.toByteArray();
  }

  /** {@code head}, the event as it was stored, {@code ]}: neither re-parsed nor re-serialised. */
  public static String event(byte[] head, StoredEvent event) {
    return event.between(head, END);
  }

  // Through the UTF-8 generator, as RelayMessage.toJson writes it: the writer-based one would
  // leave characters outside the BMP unescaped, and the frames would differ by path.
  static String quote(String text) {
    ByteArrayOutputStream quoted = new ByteArrayOutputStream(text.length() + 2);
    writeQuoted(quoted, text);
    return quoted.toString(StandardCharsets.UTF_8);
  }

  private static void writeQuoted(ByteArrayOutputStream out, String text) {
    try (JsonGenerator generator = EventJson.FACTORY.createGenerator(out)) {
      generator.writeString(text);
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory failed", e);
    }
  }
}
