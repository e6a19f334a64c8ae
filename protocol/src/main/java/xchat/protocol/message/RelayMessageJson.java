package xchat.protocol.message;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import xchat.protocol.event.EventJson;
import xchat.protocol.message.RelayMessage.AuthChallenge;
import xchat.protocol.message.RelayMessage.Closed;
import xchat.protocol.message.RelayMessage.CountResult;
import xchat.protocol.message.RelayMessage.Eose;
import xchat.protocol.message.RelayMessage.EventMessage;
import xchat.protocol.message.RelayMessage.NegErr;
import xchat.protocol.message.RelayMessage.NegMsg;
import xchat.protocol.message.RelayMessage.Notice;
import xchat.protocol.message.RelayMessage.Ok;

/** Strict reader and writer of relay-to-client frames, as a client receives them. */
public final class RelayMessageJson {
  private RelayMessageJson() {}

  public static RelayMessage parse(String frame) throws MessageParseException {
    return parse(frame, MessageLimits.DEFAULT);
  }

  public static RelayMessage parse(String frame, MessageLimits limits)
      throws MessageParseException {
    return parse(FrameReader.utf8(frame, limits), limits);
  }

  public static RelayMessage parse(byte[] frame, MessageLimits limits)
      throws MessageParseException {
    return FrameReader.parse(frame, limits, RelayMessageJson::readBody);
  }

  private static RelayMessage readBody(FrameReader in, String type)
      throws IOException, MessageParseException {
    switch (type) {
      case "EVENT", "OK", "EOSE", "CLOSED", "NOTICE", "AUTH", "COUNT", "NEG-MSG", "NEG-ERR" ->
          in.recognised(type);
      default -> throw in.unknownType();
    }
    return switch (type) {
      case "EVENT" -> new EventMessage(in.subscriptionId(), in.event());
      case "OK" -> new Ok(in.eventId(), in.bool("accepted flag"), in.string("message"));
      case "EOSE" -> new Eose(in.subscriptionId());
      case "CLOSED" -> new Closed(in.subscriptionId(), in.string("message"));
      case "NOTICE" -> new Notice(in.string("message"));
      case "AUTH" -> new AuthChallenge(in.string("challenge"));
      case "COUNT" -> new CountResult(in.subscriptionId(), in.countObject());
      case "NEG-MSG" -> new NegMsg(in.subscriptionId(), in.negentropyHex("message"));
      default -> new NegErr(in.subscriptionId(), in.string("reason"));
    };
  }

  public static String write(RelayMessage message) {
    return EventJson.write(generator -> write(generator, message));
  }

  public static void write(JsonGenerator out, RelayMessage message) throws IOException {
    out.writeStartArray();
    out.writeString(message.type());
    if (message instanceof EventMessage m) {
      out.writeString(m.subscriptionId());
      EventJson.write(out, m.event());
    } else if (message instanceof Ok m) {
      out.writeString(m.eventId().hex());
      out.writeBoolean(m.accepted());
      out.writeString(m.message());
    } else if (message instanceof Eose m) {
      out.writeString(m.subscriptionId());
    } else if (message instanceof Closed m) {
      out.writeString(m.subscriptionId());
      out.writeString(m.message());
    } else if (message instanceof Notice m) {
      out.writeString(m.message());
    } else if (message instanceof AuthChallenge m) {
      out.writeString(m.challenge());
    } else if (message instanceof CountResult m) {
      out.writeString(m.subscriptionId());
      out.writeStartObject();
      out.writeNumberField("count", m.count());
      out.writeEndObject();
    } else if (message instanceof NegMsg m) {
      out.writeString(m.subscriptionId());
      out.writeString(m.messageHex());
    } else if (message instanceof NegErr m) {
      out.writeString(m.subscriptionId());
      out.writeString(m.reason());
    } else {
      throw new IllegalStateException("unhandled relay message " + message.type());
    }
    out.writeEndArray();
  }
}
