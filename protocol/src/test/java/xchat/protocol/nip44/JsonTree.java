package xchat.protocol.nip44;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON tree over Jackson's streaming parser, for reading test vectors: objects become
 * {@code Map<String, Object>}, arrays {@code List<Object>}, numbers {@code Long}, strings {@code
 * String}.
 */
final class JsonTree {
  private JsonTree() {}

  static Object readResource(String name) {
    try (InputStream in = JsonTree.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      try (JsonParser parser = new JsonFactory().createParser(in)) {
        return read(parser, parser.nextToken());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object node, String... path) {
    return (Map<String, Object>) at(node, path);
  }

  @SuppressWarnings("unchecked")
  static List<Object> array(Object node, String... path) {
    return (List<Object>) at(node, path);
  }

  private static Object at(Object node, String... path) {
    Object current = node;
    for (String key : path) {
      current = object(current).get(key);
      if (current == null) {
        throw new IllegalArgumentException("no field " + key);
      }
    }
    return current;
  }

  private static Object read(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          map.put(name, read(parser, parser.nextToken()));
        }
        return map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        JsonToken next;
        while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
          list.add(read(parser, next));
        }
        return list;
      }
      case VALUE_STRING -> {
        return parser.getText();
      }
      case VALUE_NUMBER_INT -> {
        return parser.getLongValue();
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return parser.getBooleanValue();
      }
      default -> throw new IOException("unexpected token " + token);
    }
  }
}
