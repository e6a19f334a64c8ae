package xchat.protocol.message;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import xchat.protocol.event.EventJson;
import xchat.protocol.filter.Filter;
import xchat.protocol.filter.FilterJson;
import xchat.protocol.message.ClientMessage.Auth;
import xchat.protocol.message.ClientMessage.Close;
import xchat.protocol.message.ClientMessage.Count;
import xchat.protocol.message.ClientMessage.EventMessage;
import xchat.protocol.message.ClientMessage.NegClose;
import xchat.protocol.message.ClientMessage.NegMsg;
import xchat.protocol.message.ClientMessage.NegOpen;
import xchat.protocol.message.ClientMessage.Req;

/** Strict reader and writer of client-to-relay frames, as a relay receives them. */
public final class ClientMessageJson {
  private ClientMessageJson() {}

  public static ClientMessage parse(String frame) throws MessageParseException {
    return parse(frame, MessageLimits.DEFAULT);
  }

  public static ClientMessage parse(String frame, MessageLimits limits)
      throws MessageParseException {
    return parse(FrameReader.utf8(frame, limits), limits);
  }

  public static ClientMessage parse(byte[] frame, MessageLimits limits)
      throws MessageParseException {
    return FrameReader.parse(frame, limits, ClientMessageJson::readBody);
  }

  private static ClientMessage readBody(FrameReader in, String type)
      throws IOException, MessageParseException {
    switch (type) {
      case "EVENT", "REQ", "CLOSE", "AUTH", "COUNT", "NEG-OPEN", "NEG-MSG", "NEG-CLOSE" ->
          in.recognised(type);
      default -> throw in.unknownType();
    }
    return switch (type) {
      case "EVENT" -> new EventMessage(in.event());
      case "REQ" -> new Req(in.subscriptionId(), in.filters());
      case "CLOSE" -> new Close(in.subscriptionId());
      case "AUTH" -> new Auth(in.event());
      case "COUNT" -> new Count(in.subscriptionId(), in.filters());
      case "NEG-OPEN" -> new NegOpen(in.subscriptionId(), in.filter(), in.negentropyHex("message"));
      case "NEG-MSG" -> new NegMsg(in.subscriptionId(), in.negentropyHex("message"));
      default -> new NegClose(in.subscriptionId());
    };
  }

  public static String write(ClientMessage message) {
    return EventJson.write(generator -> write(generator, message));
  }

  public static void write(JsonGenerator out, ClientMessage message) throws IOException {
    out.writeStartArray();
    out.writeString(message.type());
    if (message instanceof EventMessage m) {
      EventJson.write(out, m.event());
    } else if (message instanceof Req m) {
      out.writeString(m.subscriptionId());
      writeFilters(out, m.filters());
    } else if (message instanceof Close m) {
      out.writeString(m.subscriptionId());
    } else if (message instanceof Auth m) {
      EventJson.write(out, m.event());
    } else if (message instanceof Count m) {
      out.writeString(m.subscriptionId());
      writeFilters(out, m.filters());
    } else if (message instanceof NegOpen m) {
      out.writeString(m.subscriptionId());
      FilterJson.write(out, m.filter());
      out.writeString(m.initialMessageHex());
    } else if (message instanceof NegMsg m) {
      out.writeString(m.subscriptionId());
      out.writeString(m.messageHex());
    } else if (message instanceof NegClose m) {
      out.writeString(m.subscriptionId());
    } else {
      throw new IllegalStateException("unhandled client message " + message.type());
    }
    out.writeEndArray();
  }

  private static void writeFilters(JsonGenerator out, List<Filter> filters) throws IOException {
    for (Filter filter : filters) {
      FilterJson.write(out, filter);
    }
  }
}
