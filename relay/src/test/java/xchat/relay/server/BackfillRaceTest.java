package xchat.relay.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.message.ClientMessage;
import xchat.protocol.message.RelayMessage;
import xchat.protocol.message.RelayMessageJson;
import xchat.relay.testing.TestEvents;

/**
 * Events committed while a subscription's stored events load: held here by a query executor that
 * runs nothing until told, so the race is the same every time.
 */
class BackfillRaceTest {
  static final long SEED = 0x5eed_0b4cL;
  static final int LIVE_KIND = 4444;

  @TempDir Path dir;
  ActorSystem<Void> system;
  InProcessRelay relay;
  final ConcurrentLinkedQueue<Runnable> heldQueries = new ConcurrentLinkedQueue<>();
  final List<String> frames = new CopyOnWriteArrayList<>();
  final TestEvents events = new TestEvents(SEED);
  InProcessRelay.Connection connection;

  @BeforeEach
  void open() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "backfill-race");
    Executor gate = heldQueries::add;
    relay = InProcessRelay.open(RelayConfig.ephemeral(), Files.createDirectories(dir.resolve("db")),
        "ws://race.test", system, gate, new SecureRandom(), Secp256k1.defaultBackend(), event -> { });
    connection = relay.connect(new InProcessRelay.ClientEnd() {
      @Override
      public void frame(String text) {
        frames.add(text);
      }

      @Override
      public void closed(Optional<String> reason) {}
    });
  }

  @AfterEach
  void close() throws Exception {
    relay.close();
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void anEventCommittedWhileStoredOnesLoadReachesAFilterWithLimitZero() {
    KeyPair alice = events.keys();
    long now = System.currentTimeMillis() / 1000;
    relay.store().submit(events.note(alice, now - 100, "stored before the REQ")).toCompletableFuture().join();

    connection.receive(new ClientMessage.Req("mixed", List.of(
        Filter.builder().kinds(1).build(),
        Filter.builder().kinds(LIVE_KIND).limit(0).build())).toJson());
    await().atMost(Duration.ofSeconds(10)).until(() -> !heldQueries.isEmpty());

    List<NostrEvent> duringTheQuery = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      NostrEvent event = events.event(alice, LIVE_KIND, now - i, List.of(), "while loading " + i);
      relay.store().submit(event).toCompletableFuture().join();
      duringTheQuery.add(event);
    }
    heldQueries.forEach(Runnable::run);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertEquals(duringTheQuery.stream().map(e -> e.id().hex()).sorted().toList(),
            liveIds(), "seed " + SEED + ", frames " + frames));
  }

  @Test
  void anEventTheBackfillSentIsNotSentAgainLive() {
    KeyPair alice = events.keys();
    long now = System.currentTimeMillis() / 1000;
    connection.receive(new ClientMessage.Req("notes", List.of(Filter.builder().kinds(1).build())).toJson());
    await().atMost(Duration.ofSeconds(10)).until(() -> !heldQueries.isEmpty());
    NostrEvent note = events.note(alice, now, "committed before the snapshot");
    relay.store().submit(note).toCompletableFuture().join();
    heldQueries.forEach(Runnable::run);

    await().atMost(Duration.ofSeconds(10)).until(() -> frames.stream().anyMatch(f -> f.startsWith("[\"EOSE\"")));
    NostrEvent later = events.note(alice, now, "committed after");
    relay.store().submit(later).toCompletableFuture().join();
    await().atMost(Duration.ofSeconds(10)).until(() -> eventIds().contains(later.id().hex()));
    assertEquals(List.of(note.id().hex(), later.id().hex()), eventIds(), "seed " + SEED + ", frames " + frames);
  }

  private List<NostrEvent> sentEvents() {
    return frames.stream().filter(f -> f.startsWith("[\"EVENT\"")).map(f -> parse(f).event()).toList();
  }

  private List<String> eventIds() {
    return sentEvents().stream().map(e -> e.id().hex()).toList();
  }

  private List<String> liveIds() {
    return sentEvents().stream().filter(e -> e.kind() == LIVE_KIND).map(e -> e.id().hex()).sorted().toList();
  }

  private static RelayMessage.EventMessage parse(String frame) {
    try {
      return (RelayMessage.EventMessage) RelayMessageJson.parse(frame);
    } catch (Exception e) {
      throw new AssertionError("an unreadable frame: " + e.getMessage());
    }
  }
}
