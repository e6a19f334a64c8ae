package xchat.engine.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xchat.engine.transport.RelayConnection;
import xchat.engine.transport.RelayInfo;
import xchat.engine.transport.RelayTransport;
import xchat.engine.transport.RelayUrl;
import xchat.protocol.crypto.Secp256k1;

/**
 * Drives a relay actor in virtual time (Pekko's explicitly triggered scheduler) through a fake
 * transport, as the simulator will: one seed gives the same reconnect schedule to the millisecond.
 */
class VirtualTimeTest {
  private final ActorTestKit kit =
      ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  private final ManualTime time = ManualTime.get(kit.system());

  @AfterEach
  void tearDown() {
    kit.shutdownTestKit();
  }

  /** A clock that moves only with the virtual scheduler. */
  private static final class VirtualClock extends Clock {
    final AtomicLong millis = new AtomicLong();

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }
  }

  /** Every connection attempt fails at once, and is recorded at its virtual time. */
  private static final class RefusingTransport implements RelayTransport {
    final List<Long> attempts = new CopyOnWriteArrayList<>();
    final Clock clock;

    RefusingTransport(Clock clock) {
      this.clock = clock;
    }

    @Override
    public CompletionStage<RelayConnection> connect(RelayUrl url) {
      attempts.add(clock.millis());
      return CompletableFuture.failedFuture(new ConnectException("refused"));
    }

    @Override
    public CompletionStage<RelayInfo> fetchInfo(RelayUrl url) {
      return CompletableFuture.failedFuture(new ConnectException("refused"));
    }
  }

  private void advance(VirtualClock clock, long millis) {
    clock.millis.addAndGet(millis);
    time.timePasses(Duration.ofMillis(millis));
  }

  @Test
  void reconnectScheduleIsExactlyTheSeededFullJitterSequence() {
    long seed = 2024;
    VirtualClock clock = new VirtualClock();
    RefusingTransport transport = new RefusingTransport(clock);
    List<RelayEvent> events = new CopyOnWriteArrayList<>();
    ActorRef<RelayEvent> listener = kit.spawn(Behaviors.<RelayEvent>receive((ctx, e) -> {
      events.add(e);
      return Behaviors.same();
    }));
    RelaySettings settings = RelaySettings.DEFAULT
        .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(30));
    RelayDeps deps = new RelayDeps(transport, envelope -> CompletableFuture.completedFuture(null),
        clock, new SplittableRandom(seed), Secp256k1.defaultBackend(), Optional.empty(),
        Optional.of(listener), Optional.empty());
    kit.spawn(RelayActor.create(RelayUrl.of("ws://relay.invalid"), settings, deps));

    Backoff policy = new Backoff(settings.backoffBase(), settings.backoffCap());
    SplittableRandom expected = new SplittableRandom(seed);
    long now = 0;
    for (int attempt = 0; attempt < 12; attempt++) {
      int n = attempt;
      await().atMost(Duration.ofSeconds(5)).until(() ->
          events.stream().filter(e -> e instanceof RelayEvent.BackingOff).count() == n + 1);
      assertEquals(now, transport.attempts.get(attempt), "attempt " + attempt + " at its virtual time; seed " + seed);
      Duration delay = policy.delay(attempt, expected);
      RelayEvent.BackingOff backingOff = (RelayEvent.BackingOff) events.stream()
          .filter(e -> e instanceof RelayEvent.BackingOff).skip(attempt).findFirst().orElseThrow();
      assertEquals(delay, backingOff.delay(), "seed " + seed);
      long wait = delay.toMillis();
      if (wait > 0) {
        advance(clock, wait - 1);
        await().during(Duration.ofMillis(50)).atMost(Duration.ofSeconds(1))
            .until(() -> transport.attempts.size() == n + 1);
        advance(clock, 1);
      } else {
        advance(clock, 0);
      }
      now += wait;
      await().atMost(Duration.ofSeconds(5)).until(() -> transport.attempts.size() == n + 2);
    }
  }
}
