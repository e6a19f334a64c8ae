package xchat.engine.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import xchat.engine.relay.BoundedIngestQueue;
import xchat.engine.relay.IngestEnvelope;
import xchat.engine.relay.RelayActor;
import xchat.engine.relay.RelayDeps;
import xchat.engine.relay.RelaySettings;
import xchat.engine.testrelay.TestEvents;
import xchat.engine.testrelay.TestRelay;
import xchat.engine.transport.RelayUrl;
import xchat.engine.transport.WebSocketTransport;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.relay.server.RelayConfig;
import xchat.relay.server.RelayServer;

/**
 * Two figures for engine part 1, over real loopback sockets:
 * <ol>
 *   <li>frames per second from one relay into the ingest queue (a flood, consumer polling flat out);
 *   <li>time from a relay's restart to resumed delivery on a live subscription (the real relay).
 * </ol>
 * Run: {@code java -cp engine/target/test-classes:engine/target/classes:$(cat cp.txt) xchat.engine.bench.RelayBench}
 */
public final class RelayBench {
  private RelayBench() {}

  public static void main(String[] args) throws Exception {
    int flood = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int restarts = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench");
    try {
      TestEvents events = new TestEvents(1);
      System.out.printf("signing %d events...%n", flood);
      List<NostrEvent> notes = new ArrayList<>(flood);
      long t0 = TestEvents.now() - flood;
      for (int i = 0; i < flood; i++) {
        notes.add(events.note(t0 + i, "bench " + i));
      }
      for (int run = 1; run <= 3; run++) {
        ingestRate(system, events, notes, run);
      }
      restartToDelivery(system, events, restarts);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static RelayDeps deps(ActorSystem<Void> system, TestEvents events, BoundedIngestQueue queue) {
    return new RelayDeps(new WebSocketTransport(system, WebSocketTransport.Settings.DEFAULT), queue,
        Clock.systemUTC(), new Random(events.seed), events.curve, Optional.of(events.keys),
        Optional.empty(), Optional.empty());
  }

  private static void ingestRate(ActorSystem<Void> system, TestEvents events, List<NostrEvent> notes,
      int run) throws Exception {
    try (TestRelay relay = TestRelay.start(events.curve)) {
      relay.floodOnReq = notes;
      BoundedIngestQueue queue = new BoundedIngestQueue(4096);
      ActorRef<RelayActor.Command> actor = system.systemActorOf(
          RelayActor.create(RelayUrl.of(relay.url()), RelaySettings.DEFAULT, deps(system, events, queue)),
          "ingest-" + run, org.apache.pekko.actor.typed.Props.empty());
      actor.tell(new RelayActor.Subscribe("flood", List.of(Filter.builder().kinds(1).build()),
          OptionalLong.empty(), 0));
      long start = 0;
      int received = 0;
      while (received < notes.size()) {
        Optional<IngestEnvelope> next = queue.poll(30, TimeUnit.SECONDS);
        if (next.isEmpty()) {
          throw new IllegalStateException("stalled after " + received + " frames");
        }
        if (received == 0) {
          start = System.nanoTime();
        }
        received++;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("run %d: %d frames in %.2f s = %.0f frames/s (queue high-water %d)%n",
          run, received, seconds, received / seconds, queue.highWaterMark());
      org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system).stop(
          org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(actor));
    }
  }

  private static int backoffAttempt(ActorSystem<Void> system, ActorRef<RelayActor.Command> actor)
      throws Exception {
    return org.apache.pekko.actor.typed.javadsl.AskPattern.<RelayActor.Command, xchat.engine.relay.RelayHealth>ask(
            actor, RelayActor.GetHealth::new, Duration.ofSeconds(5), system.scheduler())
        .toCompletableFuture().get(10, TimeUnit.SECONDS).backoffAttempt();
  }

  private static void restartToDelivery(ActorSystem<Void> system, TestEvents events, int restarts)
      throws Exception {
    Path data = Files.createTempDirectory("xchat-bench-relay");
    RelayConfig config = RelayConfig.ephemeral().withDataDir(data);
    RelayServer server = RelayServer.start(config);
    int port = server.port();
    BoundedIngestQueue queue = new BoundedIngestQueue(1024);
    // Production backoff (500 ms base), but a 1 s stable period so that each restart starts from
    // a reset backoff instead of being treated as flapping.
    RelaySettings settings = RelaySettings.DEFAULT.withBackoff(
        Duration.ofMillis(500), Duration.ofMinutes(5), Duration.ofSeconds(1));
    ActorRef<RelayActor.Command> reader = system.systemActorOf(
        RelayActor.create(RelayUrl.of(server.url()), settings, deps(system, events, queue)),
        "reader", org.apache.pekko.actor.typed.Props.empty());
    reader.tell(new RelayActor.Subscribe("live", List.of(Filter.builder().kinds(1).build()),
        OptionalLong.of(TestEvents.now()), 5));
    double[] millis = new double[restarts];
    for (int i = 0; i < restarts; i++) {
      NostrEvent probe = events.note(TestEvents.now(), "after restart " + i);
      server.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
      server = RelayServer.start(config.withPort(port));
      long restarted = System.nanoTime();
      server.store().submit(probe).toCompletableFuture().get(10, TimeUnit.SECONDS);
      while (true) {
        Optional<IngestEnvelope> next = queue.poll(60, TimeUnit.SECONDS);
        if (next.isEmpty()) {
          throw new IllegalStateException("no delivery after restart " + i);
        }
        if (next.get().event().id().equals(probe.id())) {
          break;
        }
      }
      millis[i] = (System.nanoTime() - restarted) / 1e6;
      while (backoffAttempt(system, reader) != 0) {
        queue.poll(100, TimeUnit.MILLISECONDS); // waits for the stable period to pass
      }
    }
    server.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    Arrays.sort(millis);
    System.out.printf("restart to resumed delivery over %d restarts (backoff base 500 ms, full jitter): "
            + "min %.0f ms, median %.0f ms, max %.0f ms%n",
        restarts, millis[0], millis[restarts / 2], millis[restarts - 1]);
  }
}
