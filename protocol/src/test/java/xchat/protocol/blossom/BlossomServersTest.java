package xchat.protocol.blossom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tag;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.message.TestEvents;
import xchat.protocol.nip17.FileMetadata;

class BlossomServersTest {
  static final String SHA = "b1674191a88ec5cdd733e4240a81803105dc412d6c6708d53ab94fc248f4f553";
  static final KeyPair BOB = TestEvents.keys("bob");

  @Test
  void normalizesServerUrls() {
    assertEquals(
        Optional.of(URI.create("https://cdn.example.com")),
        BlossomServers.normalize("HTTPS://CDN.Example.com:443/"));
    assertEquals(
        Optional.of(URI.create("http://127.0.0.1:8080/blossom")),
        BlossomServers.normalize("http://127.0.0.1:8080/blossom//"));
    assertEquals(Optional.empty(), BlossomServers.normalize("wss://relay.example.com"));
    assertEquals(Optional.empty(), BlossomServers.normalize("https://user@cdn.example.com"));
    assertEquals(Optional.empty(), BlossomServers.normalize("https://cdn.example.com/?a=1"));
    assertEquals(Optional.empty(), BlossomServers.normalize("not a url"));
  }

  @Test
  void findsTheHashAtTheEndOfABlobUrl() {
    assertEquals(
        Optional.of(SHA), BlossomServers.sha256In("https://cdn.example.com/" + SHA + ".pdf"));
    assertEquals(Optional.of(SHA), BlossomServers.sha256In("https://cdn.example.com/x/" + SHA));
    assertEquals(".pdf", BlossomServers.extensionIn("https://cdn.example.com/" + SHA + ".pdf"));
    assertEquals("", BlossomServers.extensionIn("https://cdn.example.com/" + SHA));
    assertEquals(
        Optional.empty(), BlossomServers.sha256In("https://cdn.example.com/" + SHA.substring(1)));
    assertEquals(
        Optional.empty(), BlossomServers.sha256In("https://cdn.example.com/" + SHA + ".p/df"));
  }

  @Test
  void findsTheServerRootOfABlobUrl() {
    assertEquals(
        Optional.of(URI.create("https://cdn.example.com/media")),
        BlossomServers.serverOf("https://cdn.example.com/media/" + SHA + ".png"));
    assertEquals(
        Optional.of(URI.create("http://127.0.0.1:9")),
        BlossomServers.serverOf("http://127.0.0.1:9/" + SHA));
    assertEquals(Optional.empty(), BlossomServers.serverOf("https://cdn.example.com/picture.png"));
  }

  @Test
  void buildsBlobUrlsAndEndpointsFromTheServerRoot() {
    URI server = URI.create("https://cdn.example.com/");
    assertEquals(
        URI.create("https://cdn.example.com/" + SHA + ".png"),
        BlossomServers.blobUrl(server, SHA, ".png"));
    assertEquals(
        URI.create("https://cdn.example.com/upload"), BlossomServers.endpoint(server, "upload"));
    assertThrows(IllegalArgumentException.class, () -> BlossomServers.blobUrl(server, SHA, ".a/b"));
  }

  @Test
  void candidatesAreTheUrlThenFallbacksThenTheSendersServers() {
    FileMetadata file =
        new FileMetadata(
            "https://one.example/" + SHA + ".jpg",
            "image/jpeg",
            "aes-gcm",
            "00",
            "00",
            SHA,
            SHA,
            10,
            Optional.empty(),
            List.of("https://two.example/" + SHA + ".jpg", "ftp://nope/" + SHA));
    List<URI> servers =
        List.of(URI.create("https://two.example"), URI.create("https://three.example/"));
    assertEquals(
        List.of(
            URI.create("https://one.example/" + SHA + ".jpg"),
            URI.create("https://two.example/" + SHA + ".jpg"),
            URI.create("https://three.example/" + SHA + ".jpg")),
        BlossomServers.downloadCandidates(file, servers));
  }

  @Test
  void serverListRoundTripsThroughKind10063() {
    BlossomServerList list =
        new BlossomServerList(
            BOB.publicKey(),
            1_700_000_000L,
            List.of(
                URI.create("https://a.example/"),
                URI.create("https://b.example"),
                URI.create("https://A.example")));
    assertEquals(
        List.of(URI.create("https://a.example"), URI.create("https://b.example")), list.servers());
    NostrEvent event = TestEvents.sign(BOB, list.toUnsignedEvent());
    assertEquals(10063, event.kind());
    assertEquals(
        List.of(Tag.of("server", "https://a.example"), Tag.of("server", "https://b.example")),
        event.tags().list());
    assertEquals(Optional.of(list), BlossomServerList.parse(event));
  }

  @Test
  void serverListSkipsBadEntriesAndIgnoresOtherKinds() {
    NostrEvent event =
        TestEvents.event(
            BOB,
            5,
            10063,
            "",
            Tag.of("server", "wss://relay"),
            Tag.of("server"),
            Tag.of("server", "https://ok.example"));
    assertEquals(
        List.of(URI.create("https://ok.example")),
        BlossomServerList.parse(event).orElseThrow().servers());
    assertEquals(Optional.empty(), BlossomServerList.parse(TestEvents.event(BOB, 5, 10002, "")));
  }
}
