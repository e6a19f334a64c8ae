package xchat.engine.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xchat.engine.testrelay.TestEvents;
import xchat.engine.transport.RelayConnection;
import xchat.engine.transport.RelayInfo;
import xchat.engine.transport.RelayTransport;
import xchat.engine.transport.RelayUrl;
import xchat.protocol.event.EventId;
import xchat.protocol.filter.Filter;
import xchat.protocol.message.RelayMessage;

/** Demand accounting between the actor and a transport, frame by frame, without sockets. */
class FlowControlTest {
  private final ActorTestKit kit = ActorTestKit.create();

  @AfterEach
  void tearDown() {
    kit.shutdownTestKit();
  }

  /** A connection whose frames the test pushes, only as far as the actor has asked. */
  private static final class ManualConnection implements RelayConnection, Flow.Subscription {
    final AtomicLong requested = new AtomicLong();
    final AtomicLong pushed = new AtomicLong();
    volatile Flow.Subscriber<? super String> subscriber;

    @Override
    public Flow.Publisher<String> incoming() {
      return s -> {
        subscriber = s;
        s.onSubscribe(this);
      };
    }

    @Override
    public void request(long n) {
      requested.addAndGet(n);
    }

    @Override
    public void cancel() {}

    /** Pushes one frame if there is demand for it. */
    boolean push(String frame) {
      if (subscriber == null || pushed.get() >= requested.get()) {
        return false;
      }
      pushed.incrementAndGet();
      subscriber.onNext(frame);
      return true;
    }

    @Override
    public SendResult send(String frame) {
      return SendResult.ENQUEUED;
    }

    @Override
    public void close() {}

    @Override
    public void abort() {}

    @Override
    public CompletionStage<Void> terminated() {
      return new CompletableFuture<>();
    }
  }

  @Test
  void demandNeverExceedsTheWindowAndNeverStalls() {
    long seed = 99;
    TestEvents events = new TestEvents(seed);
    ManualConnection connection = new ManualConnection();
    RelayTransport transport = new RelayTransport() {
      @Override
      public CompletionStage<RelayConnection> connect(RelayUrl url) {
        return CompletableFuture.completedFuture(connection);
      }

      @Override
      public CompletionStage<RelayInfo> fetchInfo(RelayUrl url) {
        return CompletableFuture.completedFuture(RelayInfo.UNKNOWN);
      }
    };
    BoundedIngestQueue queue = new BoundedIngestQueue(2);
    int window = 5;
    RelayDeps deps = new RelayDeps(transport, queue, Clock.systemUTC(), new SplittableRandom(seed),
        events.curve, Optional.empty(), Optional.empty(), Optional.empty());
    var actor = kit.spawn(RelayActor.create(RelayUrl.of("ws://fake.invalid"),
        RelayHarness.FAST.withIngestWindow(window), deps));
    actor.tell(new RelayActor.Subscribe("s", List.of(Filter.builder().kinds(1).build()),
        OptionalLong.empty(), 0));

    int total = 600;
    List<String> frames = new ArrayList<>();
    List<EventId> ids = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      var e = events.note(1_000_000 + i, "f" + i);
      ids.add(e.id());
      // Every third frame is not an event, which the actor hands back at once.
      frames.add(new RelayMessage.EventMessage("s", e).toJson());
      if (i % 3 == 0) {
        frames.add(new RelayMessage.Notice("noise " + i).toJson());
      }
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<EventId> received = new ArrayList<>();
    int[] next = {0};
    long[] maxAhead = {0};
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2)).until(() -> {
      // The "relay" pushes a few frames, the consumer polls a few: both at random speeds.
      for (int k = random.nextInt(4); k > 0 && next[0] < frames.size(); k--) {
        if (connection.push(frames.get(next[0]))) {
          next[0]++;
        }
      }
      for (int k = random.nextInt(3); k > 0; k--) {
        queue.poll().ifPresent(env -> received.add(env.event().id()));
      }
      maxAhead[0] = Math.max(maxAhead[0], connection.requested.get() - connection.pushed.get());
      return received.size() == total;
    });
    assertEquals(ids, received, "every event, in order; seed " + seed);
    assertTrue(queue.highWaterMark() <= queue.capacity() + window, "seed " + seed);
    assertTrue(maxAhead[0] <= window, "demand ahead of frames never above the window; seed " + seed);
  }
}
