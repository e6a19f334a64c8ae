package xchat.engine.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xchat.engine.testrelay.TestEvents;
import xchat.engine.transport.RelayUrl;
import xchat.engine.transport.WebSocketTransport;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.nip77.Item;
import xchat.protocol.nip77.SortedVectorStorage;
import xchat.relay.policy.Misbehaviour;
import xchat.relay.server.RelayConfig;
import xchat.relay.server.RelayServer;

/** The relay actor against the project's real relay (xchat.relay.server.RelayServer). */
class RealRelayTest {
  private final ActorTestKit kit = ActorTestKit.create();
  private final TestEvents events = new TestEvents(91);
  private final BoundedIngestQueue ingest = new BoundedIngestQueue(4096);
  private final List<RelayEvent> relayEvents = new CopyOnWriteArrayList<>();
  private RelayServer server;

  @TempDir
  Path data;

  @AfterEach
  void tearDown() throws Exception {
    kit.shutdownTestKit();
    if (server != null) {
      server.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private <T> ActorRef<T> recorder(List<T> sink) {
    return kit.spawn(Behaviors.<T>receive((ctx, m) -> {
      sink.add(m);
      return Behaviors.same();
    }));
  }

  private RelayDeps deps() {
    return new RelayDeps(new WebSocketTransport(kit.system(), WebSocketTransport.Settings.DEFAULT), ingest,
        Clock.systemUTC(), new Random(events.seed), events.curve, Optional.of(events.keys),
        Optional.of(recorder(relayEvents)), Optional.empty());
  }

  private PublishOutcome publish(ActorRef<RelayActor.Command> actor, NostrEvent event) {
    List<PublishOutcome> outcomes = new CopyOnWriteArrayList<>();
    actor.tell(new RelayActor.Publish(event, recorder(outcomes)));
    await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() == 1);
    return outcomes.get(0);
  }

  private RelayServer start(RelayConfig config) {
    server = RelayServer.start(config);
    return server;
  }

  private void restartOnSamePort(RelayConfig config) throws Exception {
    int port = server.port();
    server.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    server = RelayServer.start(config.withPort(port));
  }

  @Test
  void publishesSubscribesAndSyncsWithNegentropyAgainstTheRealRelay() {
    start(RelayConfig.ephemeral());
    ActorRef<RelayActor.Command> actor =
        kit.spawn(RelayActor.create(RelayUrl.of(server.url()), RelayHarness.FAST, deps()));
    List<NostrEvent> sent = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      NostrEvent e = events.note(TestEvents.now() - 100 + i, "real " + i);
      sent.add(e);
      assertEquals(PublishOutcome.Status.ACCEPTED, publish(actor, e).status());
    }
    assertEquals(PublishOutcome.Status.DUPLICATE, publish(actor, sent.get(0)).status());

    List<Item> local = new ArrayList<>();
    for (NostrEvent e : sent.subList(0, 10)) {
      local.add(new Item(e.createdAt(), e.id().bytes()));
    }
    List<SyncReport> reports = new CopyOnWriteArrayList<>();
    actor.tell(new RelayActor.Sync("real-sync", Filter.builder().kinds(1).build(),
        SortedVectorStorage.of(local), recorder(reports)));
    await().atMost(Duration.ofSeconds(10)).until(() -> reports.size() == 1);
    assertEquals(SyncReport.Completeness.COMPLETE, reports.get(0).completeness(), reports.get(0).detail());
    assertEquals(SyncReport.Method.NIP77, reports.get(0).method());
    assertEquals(20, reports.get(0).eventsReceived());
  }

  @Test
  void aSubscriptionResumesAfterTheRealRelayRestarts() throws Exception {
    RelayConfig config = RelayConfig.ephemeral().withDataDir(Files.createDirectories(data.resolve("r")));
    start(config);
    RelayUrl url = RelayUrl.of(server.url());
    ActorRef<RelayActor.Command> reader = kit.spawn(RelayActor.create(url, RelayHarness.FAST, deps()));
    ActorRef<RelayActor.Command> writer = kit.spawn(RelayActor.create(url, RelayHarness.FAST, deps()));
    reader.tell(new RelayActor.Subscribe("inbox", List.of(Filter.builder().kinds(1).build()),
        OptionalLong.empty(), 60));
    NostrEvent before = events.note(TestEvents.now(), "before");
    publish(writer, before);
    // The relay may send an event twice (stored and live); the ingest stream dedups by id.
    await().atMost(Duration.ofSeconds(10)).until(() -> ingest.size() >= 1);
    assertEquals(before.id(), ingest.poll().orElseThrow().event().id());

    restartOnSamePort(config);
    NostrEvent after = events.note(TestEvents.now(), "after the restart");
    assertTrue(publish(writer, after).isSuccess());
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      while (true) {
        var next = ingest.poll();
        if (next.isEmpty()) {
          return false;
        }
        if (next.get().event().id().equals(after.id())) {
          return true;
        }
      }
    });
  }

  @Test
  void authenticatesWithTheRealRelay() {
    start(RelayConfig.ephemeral().withAuthRequired(true));
    ActorRef<RelayActor.Command> actor =
        kit.spawn(RelayActor.create(RelayUrl.of(server.url()), RelayHarness.FAST, deps()));
    PublishOutcome outcome = publish(actor, events.note(TestEvents.now(), "authenticated"));
    assertEquals(PublishOutcome.Status.ACCEPTED, outcome.status(), outcome.toString());
    // Sent once: after AUTH, whether AUTH was settled in AUTHENTICATING or answered even earlier.
    assertEquals(1, outcome.attempts(), relayEvents.toString());
  }

  @Test
  void repairsTheRealRelayAfterItAcknowledgedWithoutStoring() throws Exception {
    RelayConfig honest = RelayConfig.ephemeral().withDataDir(Files.createDirectories(data.resolve("l")));
    start(honest.withBehaviour(Misbehaviour.honest().acknowledgingWithoutStoring()));
    List<NostrEvent> mine = new CopyOnWriteArrayList<>();
    AuthoredEvents authored = new AuthoredEvents() {
      @Override
      public CompletionStage<AuthoredSet> authoredFor(RelayUrl relay) {
        List<Item> items = new ArrayList<>();
        mine.forEach(e -> items.add(new Item(e.createdAt(), e.id().bytes())));
        return CompletableFuture.completedFuture(
            new AuthoredSet(Filter.builder().authors(events.keys.publicKey()).build(), items));
      }

      @Override
      public CompletionStage<Optional<NostrEvent>> load(EventId id) {
        return CompletableFuture.completedFuture(mine.stream().filter(e -> e.id().equals(id)).findFirst());
      }
    };
    ActorRef<RelayActor.Command> actor = kit.spawn(RelayActor.create(RelayUrl.of(server.url()),
        RelayHarness.FAST, deps().withAuthored(authored)));
    await().atMost(Duration.ofSeconds(5)).until(() ->
        relayEvents.stream().anyMatch(e -> e instanceof RelayEvent.RepairFinished));
    for (int i = 0; i < 3; i++) {
      NostrEvent e = events.note(TestEvents.now() - i, "lost " + i);
      mine.add(e);
      assertEquals(PublishOutcome.Status.ACCEPTED, publish(actor, e).status());
    }
    restartOnSamePort(honest);
    await().atMost(Duration.ofSeconds(15)).until(() -> relayEvents.stream()
        .filter(e -> e instanceof RelayEvent.Republished r && r.outcome().isSuccess()).count() == 3);
    RepairReport report = relayEvents.stream().filter(e -> e instanceof RelayEvent.RepairFinished)
        .map(e -> ((RelayEvent.RepairFinished) e).report()).reduce((a, b) -> b).orElseThrow();
    assertEquals(3, report.missing().size());
    assertEquals(RepairReport.Method.NIP77, report.method());
  }
}
