package xchat.relay.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tag;
import xchat.protocol.filter.Filter;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.message.ClientMessage;
import xchat.protocol.message.RelayMessage;
import xchat.protocol.nip40.Expiration;
import xchat.relay.testing.RelayFixture;
import xchat.relay.testing.TestClient;
import xchat.relay.testing.TestEvents;

/** NIP-09, NIP-59 deletion, NIP-40 expiry and NIP-62 vanish, over a real socket. */
class DeletionTest {
  private RelayFixture fixture;
  private TestEvents events;
  private TestClient client;

  @BeforeEach
  void start() {
    fixture = RelayFixture.start(0x5eed_0500L);
    events = fixture.events;
    client = fixture.client();
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void theAuthorDeletesByIdAndTheEventNeverComesBack() {
    KeyPair author = events.keys();
    NostrEvent note = events.note(author, fixture.now() - 10, "oops");
    client.expectOk(client.publish(note), true, "");
    NostrEvent byOther = events.event(events.keys(), 5, fixture.now(), List.of(TestEvents.e(note)), "");
    client.expectOk(client.publish(byOther), true, "");
    assertEquals(List.of(note), client.req("still", Filter.builder().ids(note.id()).build()));

    NostrEvent deletion = events.event(author, 5, fixture.now(), List.of(TestEvents.e(note)), "");
    client.expectOk(client.publish(deletion), true, "");
    assertEquals(List.of(), client.req("gone", Filter.builder().ids(note.id()).build()));
    client.expectOk(client.publish(note), false, "blocked:");
  }

  @Test
  void theAuthorDeletesAnAddressableEventByAddress() {
    KeyPair author = events.keys();
    NostrEvent article =
        events.event(author, 30023, fixture.now() - 10, List.of(Tag.of("d", "post")), "draft");
    client.expectOk(client.publish(article), true, "");
    NostrEvent deletion = events.event(author, 5, fixture.now(),
        List.of(Tag.of("a", "30023:" + author.publicKey().hex() + ":post")), "");
    client.expectOk(client.publish(deletion), true, "");
    assertEquals(List.of(), client.req("a", Filter.builder().kinds(30023).build()));
    client.expectOk(client.publish(article), false, "blocked:");
  }

  @Test
  void aDeletionWithoutTargetsIsInvalid() {
    NostrEvent empty = events.event(events.keys(), 5, fixture.now(), List.of(), "nothing");
    client.expectOk(client.publish(empty), false, "invalid:");
  }

  @Test
  void theRecipientDeletesGiftWrapsAddressedToThem() {
    KeyPair recipient = events.keys();
    NostrEvent wrap = events.event(events.keys(), 1059, fixture.now() - 7200,
        List.of(TestEvents.p(recipient.publicKey())), "ciphertext");
    client.expectOk(client.publish(wrap), true, "");
    NostrEvent deletion =
        events.event(recipient, 5, fixture.now(), List.of(TestEvents.e(wrap)), "");
    client.expectOk(client.publish(deletion), true, "");
    assertTrue(fixture.relay.store().get(wrap.id()).isEmpty());
    client.expectOk(client.publish(wrap), false, "blocked:");
  }

  @Test
  void expiredEventsAreRefusedNeverServedAndSwept() {
    KeyPair author = events.keys();
    long now = fixture.now();
    NostrEvent expired = events.event(author, 1, now - 10, List.of(Expiration.tag(now - 1)), "old");
    client.expectOk(client.publish(expired), false, "invalid:");
    NostrEvent malformed = events.event(author, 1, now,
        List.of(Tag.of("expiration", "soon")), "bad tag");
    client.expectOk(client.publish(malformed), false, "invalid:");

    NostrEvent brief = events.event(author, 1, now, List.of(Expiration.tag(now + 60)), "brief");
    client.expectOk(client.publish(brief), true, "");
    assertEquals(List.of(brief), client.req("before", Filter.builder().authors(author.publicKey()).build()));
    fixture.advance(Duration.ofSeconds(60));
    assertEquals(List.of(), client.req("after", Filter.builder().authors(author.publicKey()).build()));
    assertEquals(1, fixture.relay.sweepExpiredNow().toCompletableFuture().join());
    assertEquals(0, fixture.relay.store().count());
  }

  @Test
  void aRequestToVanishFromThisRelayErasesTheAuthor() {
    KeyPair leaver = events.keys();
    KeyPair friend = events.keys();
    NostrEvent note = events.note(leaver, fixture.now() - 100, "goodbye");
    NostrEvent dm = events.event(events.keys(), 1059, fixture.now() - 5000,
        List.of(TestEvents.p(leaver.publicKey())), "dm");
    NostrEvent friendsNote = events.note(friend, fixture.now() - 50, "hi");
    for (NostrEvent event : List.of(note, dm, friendsNote)) {
      client.expectOk(client.publish(event), true, "");
    }
    NostrEvent elsewhere = events.event(leaver, 62, fixture.now(),
        List.of(Tag.of("relay", "wss://other.example")), "");
    client.expectOk(client.publish(elsewhere), false, "invalid:");
    NostrEvent vanish = events.event(leaver, 62, fixture.now(),
        List.of(Tag.of("relay", fixture.relay.relayUrl() + "/")), "erase me");
    client.expectOk(client.publish(vanish), true, "");
    assertEquals(List.of(friendsNote), client.req("left", Filter.ALL));
    client.expectOk(client.publish(note), false, "blocked:");
    client.expectOk(client.publish(dm), false, "blocked:");
  }

  @Test
  void aGlobalRequestToVanishIsHonoured() {
    KeyPair leaver = events.keys();
    client.expectOk(client.publish(events.note(leaver, fixture.now() - 1, "x")), true, "");
    client.expectOk(client.publish(events.event(leaver, 62, fixture.now(),
        List.of(Tag.of("relay", "ALL_RELAYS")), "")), true, "");
    assertEquals(0, fixture.relay.store().count());
    client.send(new ClientMessage.Req("none", List.of(Filter.ALL)));
    assertEquals(List.of(), client.untilEose("none"));
    assertTrue(client.drain().stream().noneMatch(m -> m instanceof RelayMessage.EventMessage));
  }
}
