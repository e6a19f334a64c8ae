package xchat.relay.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xchat.protocol.event.EventJson;
import xchat.relay.testing.RelayFixture;

/** NIP-11: the document is served on GET with the nostr+json Accept header and tells the truth. */
class RelayInformationTest {
  private RelayFixture fixture;

  @AfterEach
  void stop() {
    fixture.close();
  }

  private HttpResponse<String> get(String accept) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create(fixture.relay.url().replace("ws://", "http://")));
    if (accept != null) {
      request.header("Accept", accept);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theDocumentListsTheNipsAndTheLimitsInForce() throws Exception {
    fixture = RelayFixture.start(0x5eed_0700L, config -> config.withAuthRequired(true)
        .withLimits(config.limits().withMaxSubscriptions(7).withMaxLimit(123)));
    HttpResponse<String> response = get("application/nostr+json");
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("content-type").orElse("")
        .startsWith("application/nostr+json"), response.headers().toString());
    assertEquals("*", response.headers().firstValue("access-control-allow-origin").orElse(""));
    Map<String, Object> document = flatten(response.body());
    assertEquals(List.of(1L, 9L, 11L, 40L, 42L, 59L, 62L, 77L), document.get("supported_nips"));
    RelayLimits limits = fixture.relay.config().limits();
    assertEquals(7L, document.get("limitation.max_subscriptions"));
    assertEquals(123L, document.get("limitation.max_limit"));
    assertEquals((long) limits.maxMessageBytes(), document.get("limitation.max_message_length"));
    assertEquals((long) limits.maxEventTags(), document.get("limitation.max_event_tags"));
    assertEquals(limits.createdAtLowerLimit(), document.get("limitation.created_at_lower_limit"));
    assertEquals(limits.createdAtUpperLimit(), document.get("limitation.created_at_upper_limit"));
    assertEquals(Boolean.TRUE, document.get("limitation.auth_required"));
  }

  @Test
  void aPlainGetIsNotTheDocument() throws Exception {
    fixture = RelayFixture.start(0x5eed_0701L);
    HttpResponse<String> response = get(null);
    assertEquals(200, response.statusCode());
    assertTrue(response.body().contains("Nostr client"), response.body());
  }

  /** Scalars by dotted path; arrays of numbers as lists. */
  private static Map<String, Object> flatten(String json) throws IOException {
    Map<String, Object> out = new HashMap<>();
    try (JsonParser parser = EventJson.FACTORY.createParser(json)) {
      parser.nextToken();
      read(parser, "", out);
    }
    return out;
  }

  private static void read(JsonParser parser, String prefix, Map<String, Object> out)
      throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = prefix + parser.currentName();
      JsonToken value = parser.nextToken();
      switch (value) {
        case START_OBJECT -> read(parser, name + ".", out);
        case START_ARRAY -> {
          List<Object> items = new ArrayList<>();
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(parser.getLongValue());
          }
          out.put(name, items);
        }
        case VALUE_NUMBER_INT -> out.put(name, parser.getLongValue());
        case VALUE_TRUE, VALUE_FALSE -> out.put(name, parser.getBooleanValue());
        default -> out.put(name, parser.getText());
      }
    }
  }
}
