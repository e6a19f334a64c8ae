package xchat.protocol.nip42;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RelayUrlsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "wss://relay.example.com/,        wss://relay.example.com",
      "wss://relay.example.com,         wss://relay.example.com",
      "WSS://Relay.Example.COM//,       wss://relay.example.com",
      "wss://relay.example.com:443/,    wss://relay.example.com",
      "ws://relay.example.com:80,       ws://relay.example.com",
      "ws://127.0.0.1:7447/,            ws://127.0.0.1:7447",
      "wss://relay.example.com:80/,     wss://relay.example.com:80",
      "wss://relay.example.com/nostr/,  wss://relay.example.com/nostr",
      "wss://relay.example.com/Nostr,   wss://relay.example.com/Nostr",
      "wss://relay.example.com/?a=1#frag, wss://relay.example.com?a=1",
      "ws://[::1]:7447,                 ws://[::1]:7447"})
  void normalisesSchemeHostDefaultPortAndTrailingSlash(String url, String expected) {
    assertEquals(Optional.of(expected), RelayUrls.normalize(url));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "relay.example.com", "https://relay.example.com", "wss://",
      "wss:///path", "wss://user@relay.example.com", "wss://relay example.com", "mailto:a@b"})
  void refusesWhatIsNotAWebSocketRelayUrl(String url) {
    assertEquals(Optional.empty(), RelayUrls.normalize(url), url);
  }

  @ParameterizedTest(name = "{0} vs {1}")
  @CsvSource({
      "wss://relay.example.com/,  wss://relay.example.com",
      "wss://RELAY.example.com,   wss://relay.example.com:443/"})
  void treatsEquivalentUrlsAsTheSameRelay(String a, String b) {
    assertTrue(RelayUrls.sameRelay(a, b));
  }

  @ParameterizedTest(name = "{0} vs {1}")
  @CsvSource({
      "wss://relay.example.com,   ws://relay.example.com",
      "wss://relay.example.com,   wss://relay.example.org",
      "wss://relay.example.com,   wss://relay.example.com:8443",
      "wss://relay.example.com,   wss://relay.example.com/other",
      "wss://relay.example.com,   wss://evil.com/relay.example.com",
      "not a url,                 not a url"})
  void distinguishesDifferentRelays(String a, String b) {
    assertFalse(RelayUrls.sameRelay(a, b));
  }
}
