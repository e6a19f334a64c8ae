package xchat.engine.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import xchat.persistence.EncryptedStore;
import xchat.persistence.StoreCorruptedException;
import xchat.protocol.event.EventJson;

/**
 * The conversations of one circle and their members, kept as one sealed device-state document
 * in the store ({@link #documentKey}), written in the same batch as the first message of a new
 * conversation. The store indexes messages by conversation but cannot list conversations.
 */
public final class ConversationIndex {
  private ConversationIndex() {}

  public static String documentKey(String circle) {
    return "xchat/conversations/" + circle;
  }

  /** Conversation id (hex) to its sorted member keys (hex). */
  public static SortedMap<String, List<String>> load(EncryptedStore store, String circle) {
    Optional<byte[]> doc = store.deviceState(documentKey(circle));
    return doc.isEmpty() ? new TreeMap<>() : decode(doc.get());
  }

  public static byte[] encode(Map<String, List<String>> conversations) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator out = EventJson.FACTORY.createGenerator(bytes)) {
      out.writeStartObject();
      for (Map.Entry<String, List<String>> e : new TreeMap<>(conversations).entrySet()) {
        out.writeArrayFieldStart(e.getKey());
        for (String member : e.getValue()) {
          out.writeString(member);
        }
        out.writeEndArray();
      }
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static SortedMap<String, List<String>> decode(byte[] json) {
    return decode(json, "the conversation index");
  }

  /** Reads a document of the same shape (string keys to string lists); {@code what} names it in errors. */
  static SortedMap<String, List<String>> decode(byte[] json, String what) {
    TreeMap<String, List<String>> out = new TreeMap<>();
    try (JsonParser in = EventJson.FACTORY.createParser(json)) {
      if (in.nextToken() != JsonToken.START_OBJECT) {
        throw new StoreCorruptedException(what + " is not an object");
      }
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        String id = in.currentName();
        if (in.nextToken() != JsonToken.START_ARRAY) {
          throw new StoreCorruptedException("an entry of " + what + " is not an array");
        }
        List<String> members = new ArrayList<>();
        while (in.nextToken() == JsonToken.VALUE_STRING) {
          members.add(in.getText());
        }
        out.put(id, Collections.unmodifiableList(members));
      }
    } catch (IOException e) {
      throw new StoreCorruptedException(what + " cannot be read");
    }
    return out;
  }
}
