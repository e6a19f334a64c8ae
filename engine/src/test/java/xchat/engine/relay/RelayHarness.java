package xchat.engine.relay;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import xchat.engine.testrelay.TestEvents;
import xchat.engine.testrelay.TestRelay;
import xchat.engine.transport.RelayUrl;
import xchat.engine.transport.WebSocketTransport;

/** One client actor system, one test relay, and the wiring between them. */
final class RelayHarness implements AutoCloseable {
  static final RelaySettings FAST = RelaySettings.DEFAULT
      .withBackoff(Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofMillis(800))
      // Pings often, but waits long for the answer: a loaded CI machine can stall a socket for
      // a second, and a spurious keepalive drop would disturb every test using these settings.
      .withKeepalive(Duration.ofMillis(300), Duration.ofSeconds(2))
      .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(3));

  final ActorTestKit kit = ActorTestKit.create();
  final TestEvents events;
  final TestRelay relay;
  final RelayUrl url;
  final WebSocketTransport transport;
  final BoundedIngestQueue ingest = new BoundedIngestQueue(1024);
  final List<RelayEvent> relayEvents = new CopyOnWriteArrayList<>();
  final ActorRef<RelayEvent> listener;
  final Random random;

  RelayHarness(long seed) {
    events = new TestEvents(seed);
    random = new Random(seed);
    relay = TestRelay.start(events.curve);
    url = RelayUrl.of(relay.url());
    transport = new WebSocketTransport(kit.system(), WebSocketTransport.Settings.DEFAULT);
    listener = recorder(relayEvents);
  }

  RelayDeps deps() {
    return new RelayDeps(transport, ingest, Clock.systemUTC(), random, events.curve,
        Optional.of(events.keys), Optional.of(listener), Optional.empty());
  }

  ActorRef<RelayActor.Command> spawn(RelaySettings settings, RelayDeps deps) {
    return kit.spawn(RelayActor.create(url, settings, deps));
  }

  ActorRef<RelayActor.Command> spawn() {
    return spawn(FAST, deps());
  }

  RelayHealth health(ActorRef<RelayActor.Command> actor) {
    TestProbe<RelayHealth> probe = kit.createTestProbe(RelayHealth.class);
    actor.tell(new RelayActor.GetHealth(probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(5));
  }

  /** Events of one type the listener received so far, in order. */
  <T extends RelayEvent> List<T> seen(Class<T> type) {
    return relayEvents.stream().filter(type::isInstance).map(type::cast).toList();
  }

  boolean reached(ConnectionState state) {
    return seen(RelayEvent.StateChanged.class).stream().anyMatch(s -> s.state() == state);
  }

  long count(ConnectionState state) {
    return seen(RelayEvent.StateChanged.class).stream().filter(s -> s.state() == state).count();
  }

  /** A recording actor: every message it gets lands in {@code sink}. */
  <T> ActorRef<T> recorder(List<T> sink) {
    return kit.spawn(Behaviors.<T>receive((ctx, message) -> {
      sink.add(message);
      return Behaviors.same();
    }));
  }

  String seedMessage() {
    return "seed " + events.seed;
  }

  @Override
  public void close() {
    kit.shutdownTestKit();
    relay.close();
  }
}
