package xchat.engine.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import xchat.engine.testrelay.TestEvents;
import xchat.engine.transport.RelayUrl;

class BoundedIngestQueueTest {
  private final TestEvents events = new TestEvents(3);
  private final RelayUrl url = RelayUrl.of("ws://127.0.0.1:1");

  private IngestEnvelope envelope(int i) {
    return new IngestEnvelope(url, "s", events.note(1000 + i, "e" + i), false);
  }

  @Test
  void acknowledgesWithinCapacityAndHoldsAcknowledgementsBeyondIt() {
    BoundedIngestQueue queue = new BoundedIngestQueue(2);
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      acks.add(queue.offer(envelope(i)).toCompletableFuture());
    }
    assertTrue(acks.get(0).isDone() && acks.get(1).isDone());
    assertFalse(acks.get(2).isDone() || acks.get(3).isDone());
    assertEquals(1000, queue.poll().orElseThrow().event().createdAt());
    assertTrue(acks.get(2).isDone(), "polling one frees the oldest waiting acknowledgement");
    assertFalse(acks.get(3).isDone());
    queue.poll();
    assertTrue(acks.get(3).isDone());
    assertEquals(4, queue.highWaterMark());
    assertEquals(1002, queue.poll().orElseThrow().event().createdAt(), "order kept");
  }
}
