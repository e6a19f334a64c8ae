package xchat.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import xchat.engine.api.FileInfo;
import xchat.engine.api.Message;
import xchat.protocol.event.EventJson;

/**
 * One message as a JSON line: id, circle, conversation, from, to, created_at, kind, content, and for
 * a file message {@code file} (url, mime, size, x, ox; never the key).
 */
final class MessageJson {
  private MessageJson() {}

  static String line(Message m) {
    StringWriter text = new StringWriter();
    try (JsonGenerator out = EventJson.FACTORY.createGenerator(text)) {
      out.writeStartObject();
      out.writeStringField("id", m.id());
      out.writeStringField("circle", m.circle());
      out.writeStringField("conversation", m.conversation());
      out.writeStringField("from", m.author());
      out.writeArrayFieldStart("to");
      for (String recipient : m.recipients()) {
        out.writeString(recipient);
      }
      out.writeEndArray();
      out.writeNumberField("created_at", m.createdAt());
      out.writeNumberField("kind", m.kind());
      out.writeStringField("content", m.content());
      if (m.expiresAt().isPresent()) {
        out.writeNumberField("expires_at", m.expiresAt().getAsLong());
      }
      if (m.file().isPresent()) {
        FileInfo file = m.file().get();
        out.writeObjectFieldStart("file");
        out.writeStringField("url", file.url());
        out.writeStringField("mime", file.mimeType());
        out.writeNumberField("size", file.encryptedSize());
        out.writeStringField("x", file.encryptedSha256());
        out.writeStringField("ox", file.originalSha256());
        out.writeEndObject();
      }
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  static String text(Message m) {
    String body = m.file().map(f -> "[file " + f.mimeType() + ", " + f.encryptedSize() + " bytes: xchat get-file "
        + m.id() + "]").orElse(m.content());
    return java.time.Instant.ofEpochSecond(m.createdAt()) + " " + m.author().substring(0, 12) + " " + body;
  }
}
