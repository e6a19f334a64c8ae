package xchat.relay.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tag;
import xchat.protocol.filter.Filter;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.message.ClientMessage;
import xchat.protocol.message.RelayMessage;
import xchat.relay.testing.RelayFixture;
import xchat.relay.testing.TestClient;
import xchat.relay.testing.TestEvents;

/** REQ over a real socket: every filter field, stored then EOSE then live, and CLOSE. */
class SubscriptionTest {
  private RelayFixture fixture;
  private TestClient client;
  private KeyPair alice;
  private KeyPair bob;
  private final List<NostrEvent> stored = new ArrayList<>();
  private NostrEvent aliceNote;
  private NostrEvent bobReaction;
  private NostrEvent aliceReply;
  private NostrEvent bobTagged;

  @BeforeEach
  void start() {
    fixture = RelayFixture.start(0x5eed_0200L);
    client = fixture.client();
    TestEvents events = fixture.events;
    alice = events.keys();
    bob = events.keys();
    long now = fixture.now();
    aliceNote = events.note(alice, now - 40, "first");
    bobReaction = events.event(bob, 7, now - 30, List.of(TestEvents.e(aliceNote),
        TestEvents.p(alice.publicKey())), "+");
    aliceReply = events.event(alice, 1, now - 20, List.of(TestEvents.e(aliceNote)), "reply");
    bobTagged = events.event(bob, 1, now - 10, List.of(Tag.of("t", "java")), "tagged");
    for (NostrEvent event : List.of(aliceNote, bobReaction, aliceReply, bobTagged)) {
      client.expectOk(client.publish(event), true, "");
      stored.add(event);
    }
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void eachFilterFieldSelectsWhatItNames() {
    assertEquals(List.of(aliceNote), client.req("ids", Filter.builder().ids(aliceNote.id()).build()));
    assertEquals(List.of(aliceReply, aliceNote),
        client.req("authors", Filter.builder().authors(alice.publicKey()).build()));
    assertEquals(List.of(bobReaction), client.req("kinds", Filter.builder().kinds(7).build()));
    assertEquals(List.of(aliceReply, bobReaction),
        client.req("e", Filter.builder().tag('e', aliceNote.id().hex()).build()));
    assertEquals(List.of(bobReaction),
        client.req("p", Filter.builder().tag('p', alice.publicKey().hex()).build()));
    assertEquals(List.of(bobTagged), client.req("t", Filter.builder().tag('t', "java").build()));
    assertEquals(List.of(bobTagged, aliceReply),
        client.req("since", Filter.builder().since(fixture.now() - 20).build()));
    assertEquals(List.of(bobReaction, aliceNote),
        client.req("until", Filter.builder().until(fixture.now() - 30).build()));
    assertEquals(List.of(bobTagged, aliceReply),
        client.req("limit", Filter.builder().limit(2).build()));
  }

  @Test
  void severalFiltersAreMergedNewestFirstWithoutDuplicates() {
    List<NostrEvent> got = client.req("multi",
        Filter.builder().kinds(7).build(),
        Filter.builder().authors(alice.publicKey()).limit(1).build(),
        Filter.builder().tag('p', alice.publicKey().hex()).build());
    assertEquals(List.of(aliceReply, bobReaction), got);
    List<NostrEvent> everything = client.req("all", Filter.ALL);
    List<NostrEvent> expected = new ArrayList<>(stored);
    expected.sort(Comparator.comparingLong(NostrEvent::createdAt).reversed());
    assertEquals(expected, everything);
  }

  @Test
  void afterEoseNewMatchingEventsArriveLiveAndCloseStopsThem() {
    TestClient listener = fixture.client();
    assertEquals(List.of(aliceReply, aliceNote),
        listener.req("alice", Filter.builder().authors(alice.publicKey()).build()));
    NostrEvent fresh = fixture.events.note(alice, fixture.now(), "live");
    NostrEvent unrelated = fixture.events.note(bob, fixture.now(), "not for this sub");
    client.expectOk(client.publish(unrelated), true, "");
    client.expectOk(client.publish(fresh), true, "");
    RelayMessage.EventMessage live =
        listener.await(RelayMessage.EventMessage.class, m -> m.subscriptionId().equals("alice"));
    assertEquals(fresh, live.event(), "the unrelated event is not delivered, the fresh one is");

    listener.send(new ClientMessage.Close("alice"));
    listener.drain(); // the relay has handled the CLOSE before anything is published
    NostrEvent afterClose = fixture.events.note(alice, fixture.now(), "after close");
    client.expectOk(client.publish(afterClose), true, "");
    List<RelayMessage> rest = listener.drain();
    // A late second copy of an earlier event may still arrive (NIP-01 allows duplicates; the
    // stored and live paths can both deliver one): what must never come is the new event.
    assertTrue(rest.stream().noneMatch(m -> m instanceof RelayMessage.EventMessage e
            && e.event().equals(afterClose)),
        "no events published after CLOSE: " + types(rest));
  }

  @Test
  void aReqWithAnOpenIdReplacesThatSubscription() {
    TestClient listener = fixture.client();
    listener.req("same", Filter.builder().authors(alice.publicKey()).limit(0).build());
    listener.req("same", Filter.builder().authors(bob.publicKey()).limit(0).build());
    NostrEvent fromAlice = fixture.events.note(alice, fixture.now(), "a");
    NostrEvent fromBob = fixture.events.note(bob, fixture.now(), "b");
    client.expectOk(client.publish(fromAlice), true, "");
    client.expectOk(client.publish(fromBob), true, "");
    RelayMessage.EventMessage live =
        listener.await(RelayMessage.EventMessage.class, m -> m.subscriptionId().equals("same"));
    assertEquals(fromBob, live.event());
  }

  @Test
  void limitZeroSendsOnlyEoseThenLiveEvents() {
    TestClient listener = fixture.client();
    assertEquals(List.of(), listener.req("zero", Filter.builder().limit(0).build()));
    NostrEvent fresh = fixture.events.note(bob, fixture.now(), "new");
    client.expectOk(client.publish(fresh), true, "");
    assertEquals(fresh, listener.await(RelayMessage.EventMessage.class,
        m -> m.subscriptionId().equals("zero")).event());
  }

  static String types(List<RelayMessage> messages) {
    return messages.stream().map(RelayMessage::type).collect(Collectors.joining(","));
  }
}
