package xchat.relay.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
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

/**
 * A relay whose disk fills: publishers get {@code OK false "error: ..."}, the connection and the
 * relay keep serving what they hold, and every event acknowledged before is still there after a
 * restart with room. The data directory is a small tmpfs; mounting needs root (CI runs as root),
 * else the test is skipped and says why.
 */
class FullDiskTest {
  private static final int MAX_EVENTS = 5_000;
  /** Every event the test writes fits under one REQ (the relay's max_limit). */
  private static final Filter EVERYTHING = Filter.builder().limit(5_000).build();

  @TempDir Path parent;
  private Path mount;
  private boolean mounted;

  @BeforeEach
  void mountASmallFilesystem() throws Exception {
    mount = Files.createDirectory(parent.resolve("disk"));
    Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "tmpfs is Linux's");
    String failure = run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount.toString());
    Assumptions.assumeTrue(failure == null, () -> "cannot mount a 16 MB tmpfs (needs root): " + failure);
    mounted = true;
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      assertEquals(null, run("umount", "-l", mount.toString()), "unmounting the test's tmpfs");
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
    } finally {
      relay.stop().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }

    // Room again, and a restart: nothing acknowledged is lost, and publishing works.
    assertEquals(null, run("mount", "-o", "remount,size=256m", mount.toString()), "growing the tmpfs");
    RelayServer again = start(clock);
    try (TestClient client = TestClient.connect(again.url())) {
      assertTrue(ids(client.req("restarted", EVERYTHING)).containsAll(acknowledged),
          events.why("every acknowledged event survives the full disk"));
      assertTrue(client.publish(events.note(author, clock.seconds(), "room again")).accepted());
    } finally {
      again.stop().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }
  }

  private static Set<EventId> ids(List<NostrEvent> events) {
    Set<EventId> ids = new HashSet<>();
    events.forEach(event -> ids.add(event.id()));
    return ids;
  }

  /** Runs a command; null when it succeeded, else what it printed. */
  private static String run(String... command) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.getMessage();
    }
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return String.join(" ", command) + " did not finish";
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output;
  }
}
