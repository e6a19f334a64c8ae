package xchat.engine.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;

class RelayUrlTest {

  @Test
  void normalisesSpellingsOfOneRelayToOneKey() {
    assertEquals(RelayUrl.of("wss://relay.example.com"), RelayUrl.of("WSS://Relay.Example.com:443/"));
    assertEquals("ws://127.0.0.1:7447", RelayUrl.of("ws://127.0.0.1:7447/").value());
  }

  @Test
  void informationDocumentIsServedOverHttpOfTheSameAddress() {
    assertEquals(URI.create("https://relay.example.com/"), RelayUrl.of("wss://relay.example.com").informationUri());
    assertEquals(URI.create("http://127.0.0.1:7447/nostr"), RelayUrl.of("ws://127.0.0.1:7447/nostr").informationUri());
  }

  @Test
  void refusesWhatIsNotARelayUrl() {
    assertThrows(IllegalArgumentException.class, () -> RelayUrl.of("https://example.com"));
    assertThrows(IllegalArgumentException.class, () -> RelayUrl.of("not a url"));
    assertThrows(IllegalArgumentException.class, () -> new RelayUrl("WSS://x.com"));
  }
}
