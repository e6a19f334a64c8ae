package xchat.relay.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.message.RelayMessage;
import xchat.relay.server.RelayLimits.RateLimit;
import xchat.relay.testing.MutableClock;
import xchat.relay.testing.RelayFixture;
import xchat.relay.testing.TestClient;
import xchat.relay.testing.TestEvents;
import xchat.testkit.Tmpfs;

/**
 * A relay whose disk fills: publishers get {@code OK false "error: ..."}, the connection and the
 * relay keep serving what they hold, writes resume once there is room, without a restart, and
 * every event acknowledged is still there after one. The data directory is a small tmpfs; mounting needs root (CI runs as root),
 * else the test is skipped and says why.
 */
class FullDiskTest {
  private static final int MAX_EVENTS = 5_000;
  /** Every event the test writes fits under one REQ (the relay's max_limit). */
  private static final Filter EVERYTHING = Filter.builder().limit(5_000).build();

  @TempDir Path parent;
  private Tmpfs disk;
  private Path mount;

  @BeforeEach
  void mountASmallFilesystem() throws Exception {
    disk = Tmpfs.mountOrSkip(Files.createDirectory(parent.resolve("disk")), "16m");
    mount = disk.path();
  }

  @AfterEach
  void unmount() {
    if (disk != null) {
      disk.close();
    }
  }

  private RelayServer start(MutableClock clock) {
    return RelayServer.start(RelayConfig.ephemeral().withClock(clock).withDataDir(mount.resolve("relay"))
        .withLimits(RelayLimits.DEFAULT.withRates(RateLimit.UNLIMITED, RateLimit.UNLIMITED)));
  }

  @Test
  void aFullDiskRefusesEventsWithAnErrorAndLosesNoAcknowledgedOne() throws Exception {
    TestEvents events = new TestEvents(0x5eed_0f11L);
    MutableClock clock = new MutableClock(RelayFixture.START);
    KeyPair author = events.keys();
    List<EventId> acknowledged = new ArrayList<>();
    RelayMessage.Ok refused = null;
    RelayServer relay = start(clock);
    try (TestClient client = TestClient.connect(relay.url())) {
      for (int i = 0; i < MAX_EVENTS && refused == null; i++) {
        NostrEvent note = events.note(author, clock.seconds() - i, i + " " + "x".repeat(20_000));
        RelayMessage.Ok ok = client.publish(note);
        if (ok.accepted()) {
          acknowledged.add(note.id());
        } else {
          refused = ok;
        }
      }
      assertTrue(refused != null, events.why("the disk never filled"));
      assertTrue(acknowledged.size() > 100, events.why("the disk filled early: " + acknowledged.size()));
      assertTrue(refused.message().startsWith("error:"), refused.message());
      System.out.println(acknowledged.size() + " events acknowledged, then: " + refused.message());

      // The same connection, and a new one, still read what was stored.
      assertTrue(client.isOpen(), "the publisher's connection survives the failed write");
      Set<EventId> served = ids(client.req("after-full", EVERYTHING));
      assertTrue(served.containsAll(acknowledged), events.why("every acknowledged event is served"));
      try (TestClient reader = TestClient.connect(relay.url())) {
        assertEquals(served, ids(reader.req("reader", EVERYTHING)), events.why("a new connection reads them too"));
      }

      // Room again: the relay reopens its store on the next write, without a restart.
      disk.resize("256m");
      NostrEvent resumed = events.note(author, clock.seconds(), "room again");
      RelayMessage.Ok ok = client.publish(resumed);
      assertTrue(ok.accepted(), "writes resume in place: " + ok.message());
      acknowledged.add(resumed.id());
      assertTrue(ids(client.req("resumed", EVERYTHING)).containsAll(acknowledged),
          events.why("every acknowledged event is served after the reopen"));
    } finally {
      relay.stop().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }

    // And after a restart: nothing acknowledged is lost, and publishing works.
    RelayServer again = start(clock);
    try (TestClient client = TestClient.connect(again.url())) {
      assertTrue(ids(client.req("restarted", EVERYTHING)).containsAll(acknowledged),
          events.why("every acknowledged event survives the full disk"));
      assertTrue(client.publish(events.note(author, clock.seconds(), "after a restart")).accepted());
    } finally {
      again.stop().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }
  }

  private static Set<EventId> ids(List<NostrEvent> events) {
    Set<EventId> ids = new HashSet<>();
    events.forEach(event -> ids.add(event.id()));
    return ids;
  }
}
