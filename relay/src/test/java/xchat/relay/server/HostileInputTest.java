package xchat.relay.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.message.ClientMessage;
import xchat.protocol.message.RelayMessage;
import xchat.relay.server.RelayLimits.RateLimit;
import xchat.relay.store.Durability;
import xchat.relay.testing.RelayFixture;
import xchat.relay.testing.TestClient;

/**
 * Every hostile input gets a clear NOTICE, CLOSED or OK false, and the connection and the relay
 * stay up; a client that stops reading is dropped, not buffered without bound.
 */
class HostileInputTest {
  private RelayFixture fixture;

  private TestClient start(UnaryOperator<RelayLimits> limits) {
    fixture = RelayFixture.start(0x5eed_0300L,
        config -> config.withLimits(limits.apply(config.limits())));
    return fixture.client();
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  /** The connection still works: a valid event is accepted on it. */
  private void stillServes(TestClient client) {
    NostrEvent note = fixture.events.note(fixture.events.keys(), fixture.now(), "still here");
    client.expectOk(client.publish(note), true, "");
  }

  private RelayMessage.Notice notice(TestClient client) {
    return client.await(RelayMessage.Notice.class, m -> true);
  }

  @Test
  void malformedFramesGetANoticeAndTheConnectionStaysUp() {
    TestClient client = start(l -> l);
    for (String frame : List.of("not json", "{\"an\":\"object\"}", "[]", "[42]", "[\"EVENT\"]",
        "[\"EVENT\",\"not an object\"]", "[\"REQ\"]", "[\"REQ\",42]", "[[[[[[[[[[",
        "[\"CLOSE\"]", "[\"AUTH\",{}]")) {
      client.send(frame);
      RelayMessage.Notice notice = notice(client);
      assertTrue(notice.message().startsWith("invalid:"), frame + " → " + notice.message());
    }
    client.send("[\"HELLO\",1]");
    assertTrue(notice(client).message().startsWith("unsupported:"));
    stillServes(client);
  }

  @Test
  void aMalformedFilterClosesThatSubscription() {
    TestClient client = start(l -> l);
    client.send("[\"REQ\",\"bad\",{\"kinds\":\"one\"}]");
    RelayMessage.Closed closed =
        client.await(RelayMessage.Closed.class, m -> m.subscriptionId().equals("bad"));
    assertTrue(closed.message().startsWith("invalid:"), closed.message());
    client.send("[\"REQ\",\"search\",{\"search\":\"x\"}]");
    assertTrue(client.await(RelayMessage.Closed.class, m -> m.subscriptionId().equals("search"))
        .message().startsWith("invalid:"));
    stillServes(client);
  }

  @Test
  void anOversizedMessageGetsANoticeAndTheConnectionStaysUp() {
    TestClient client = start(l -> l.withMaxMessageBytes(8192));
    NostrEvent huge = fixture.events.note(fixture.events.keys(), fixture.now(), "x".repeat(20_000));
    client.send(new ClientMessage.EventMessage(huge));
    RelayMessage.Notice notice = notice(client);
    assertTrue(notice.message().startsWith("invalid:") && notice.message().contains("8192"),
        notice.message());
    stillServes(client);
    assertEquals(0L + 1, fixture.relay.store().count(), "only the valid event is stored");
  }

  @Test
  void aBinaryMessageGetsANotice() {
    TestClient client = start(l -> l);
    client.sendBinary(new byte[] {1, 2, 3});
    assertTrue(notice(client).message().contains("binary"));
    stillServes(client);
  }

  @Test
  void tooManySubscriptionsAreRefusedWithClosed() {
    TestClient client = start(l -> l.withMaxSubscriptions(3));
    for (int i = 0; i < 3; i++) {
      client.req("sub" + i, Filter.builder().limit(0).build());
    }
    client.send(new ClientMessage.Req("one-too-many", List.of(Filter.ALL)));
    RelayMessage.Closed closed =
        client.await(RelayMessage.Closed.class, m -> m.subscriptionId().equals("one-too-many"));
    assertTrue(closed.message().startsWith("blocked:"), closed.message());
    client.send(new ClientMessage.Close("sub0"));
    assertEquals(List.of(), client.req("now-fits", Filter.builder().limit(0).build()));
  }

  @Test
  void tooManyFiltersAreRefusedWithClosed() {
    TestClient client = start(l -> l.withMaxFilters(4));
    List<Filter> filters = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      filters.add(Filter.builder().kinds(i).build());
    }
    client.send(new ClientMessage.Req("wide", filters));
    RelayMessage.Closed closed =
        client.await(RelayMessage.Closed.class, m -> m.subscriptionId().equals("wide"));
    assertTrue(closed.message().startsWith("blocked:"), closed.message());
    assertEquals(List.of(), client.req("narrow", filters.subList(0, 4).toArray(new Filter[0])));
  }

  @Test
  void eventsBeyondTheRateLimitAreRefusedUntilTheBucketRefills() {
    TestClient client = start(l -> l.withRates(new RateLimit(1, 3), l.reqRate()));
    KeyPair keys = fixture.events.keys();
    for (int i = 0; i < 3; i++) {
      client.expectOk(client.publish(fixture.events.note(keys, fixture.now(), "ok " + i)), true, "");
    }
    client.expectOk(client.publish(fixture.events.note(keys, fixture.now(), "too fast")), false,
        "rate-limited:");
    fixture.advance(Duration.ofSeconds(1));
    client.expectOk(client.publish(fixture.events.note(keys, fixture.now(), "later")), true, "");
  }

  @Test
  void subscriptionsBeyondTheRateLimitAreRefusedWithClosed() {
    TestClient client = start(l -> l.withRates(l.eventRate(), new RateLimit(1, 2)));
    client.req("a", Filter.builder().limit(0).build());
    client.req("b", Filter.builder().limit(0).build());
    client.send(new ClientMessage.Req("c", List.of(Filter.ALL)));
    assertTrue(client.await(RelayMessage.Closed.class, m -> m.subscriptionId().equals("c"))
        .message().startsWith("rate-limited:"));
  }

  @Test
  void aClientThatStopsReadingIsDroppedAndOthersCarryOn() {
    fixture = RelayFixture.start(0x5eed_0301L, config -> config
        .withDurability(Durability.WAL)
        .withLimits(config.limits()
            .withRates(RateLimit.UNLIMITED, RateLimit.UNLIMITED)
            .withOutputBuffer(64, 64 * 1024)));
    TestClient slow = fixture.client();
    TestClient sender = fixture.client();
    slow.req("everything", Filter.builder().limit(0).build());
    slow.pauseReading();
    KeyPair keys = fixture.events.keys();
    String content = "y".repeat(8 * 1024);
    // 20000 kinds are ephemeral: delivered live, never stored, so the test measures the socket.
    for (int i = 0; i < 2000 && fixture.relay.connectionCount() == 2; i++) {
      sender.send(new ClientMessage.EventMessage(
          fixture.events.event(keys, 20000, fixture.now(), List.of(), i + content)));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> fixture.relay.connectionCount() == 1);
    List<RelayMessage> replies = sender.drain();
    assertTrue(replies.stream()
            .filter(m -> !(m instanceof RelayMessage.AuthChallenge))
            .allMatch(m -> m instanceof RelayMessage.Ok ok && ok.accepted()),
        "the sender was served throughout");
    stillServes(sender);
  }
}
