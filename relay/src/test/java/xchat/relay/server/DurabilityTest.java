package xchat.relay.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.message.ClientMessage;
import xchat.protocol.message.RelayMessage;
import xchat.relay.server.RelayLimits.RateLimit;
import xchat.relay.testing.MutableClock;
import xchat.relay.testing.RelayFixture;
import xchat.relay.testing.TestClient;
import xchat.relay.testing.TestEvents;

/** What a relay acknowledged is still there after a graceful stop and a start on the same data. */
class DurabilityTest {
  @TempDir Path data;

  private RelayServer start(MutableClock clock) {
    return RelayServer.start(RelayConfig.ephemeral().withClock(clock).withDataDir(data)
        .withLimits(RelayLimits.DEFAULT.withRates(RateLimit.UNLIMITED, RateLimit.UNLIMITED)));
  }

  @Test
  void everyAcknowledgedEventSurvivesARestart() {
    TestEvents events = new TestEvents(0x5eed_0800L);
    MutableClock clock = new MutableClock(RelayFixture.START);
    RelayServer relay = start(clock);
    KeyPair author = events.keys();
    List<NostrEvent> sent = new ArrayList<>();
    List<EventId> acknowledged = new ArrayList<>();
    try (TestClient client = TestClient.connect(relay.url())) {
      for (int i = 0; i < 200; i++) {
        NostrEvent note = events.note(author, clock.seconds() - i, "keep " + i);
        sent.add(note);
        client.send(new ClientMessage.EventMessage(note));
      }
      // Stop while most writes are still queued: each OK true that was sent must hold.
      for (int i = 0; i < 20; i++) {
        RelayMessage.Ok ok = client.await(RelayMessage.Ok.class, m -> true);
        if (ok.accepted()) {
          acknowledged.add(ok.eventId());
        }
      }
      relay.stop().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }

    RelayServer again = start(clock);
    try (TestClient client = TestClient.connect(again.url())) {
      List<NostrEvent> stored = client.req("all", Filter.ALL);
      assertEquals(true, stored.stream().map(NostrEvent::id).toList().containsAll(acknowledged),
          events.why("every acknowledged id is stored"));
      assertEquals(sent.subList(0, stored.size()), stored,
          events.why("the store holds a prefix of what was sent, newest first"));
    } finally {
      again.stop().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }
  }
}
