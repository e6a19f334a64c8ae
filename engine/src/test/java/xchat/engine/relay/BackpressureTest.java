package xchat.engine.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xchat.engine.testrelay.TestEvents;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;

class BackpressureTest {
  private RelayHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void aFloodFillsOnlyTheBoundedQueueWhileTheConsumerIsSlow() {
    h = new RelayHarness(61);
    int flood = 3000;
    int window = 8;
    List<NostrEvent> events = new ArrayList<>(flood);
    long t0 = TestEvents.now() - 100_000;
    for (int i = 0; i < flood; i++) {
      events.add(h.events.note(t0 + i, "flood " + i));
    }
    h.relay.floodOnReq = events;
    BoundedIngestQueue queue = new BoundedIngestQueue(32);
    ActorRef<RelayActor.Command> actor =
        h.spawn(RelayHarness.FAST.withIngestWindow(window), h.deps().withIngest(queue));
    actor.tell(new RelayActor.Subscribe("flood", List.of(Filter.builder().kinds(1).build()),
        OptionalLong.empty(), 0));

    // Nobody consumes: the queue fills to its capacity plus the actor's window, then reading stops.
    await().atMost(Duration.ofSeconds(10)).until(() -> queue.size() == queue.capacity() + window);
    await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2))
        .until(() -> queue.size() == queue.capacity() + window);
    RelayHealth stalled = h.health(actor);
    assertEquals(window, stalled.ingestInFlight(), "the actor holds exactly its window");
    assertTrue(stalled.framesReceived() < flood / 10,
        "frames are not read ahead of demand: " + stalled.framesReceived());
    assertEquals(0, stalled.disconnects(), "a stalled consumer is not a dead socket");

    // A slow consumer drains everything, in order.
    List<EventId> received = new ArrayList<>(flood);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> {
      for (int i = 0; i < 50; i++) {
        queue.poll().ifPresent(env -> received.add(env.event().id()));
      }
      return received.size() == flood;
    });
    for (int i = 0; i < flood; i++) {
      assertEquals(events.get(i).id(), received.get(i), "order kept at " + i);
    }
    RelayHealth done = h.health(actor);
    assertTrue(done.maxIngestInFlight() <= window, "never above the window");
    assertTrue(queue.highWaterMark() <= queue.capacity() + window, "queue bounded");
  }
}
