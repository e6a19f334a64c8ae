package xchat.simulator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class TraceTest {
  @Test
  void engineEventsOfOneInstantHashTheSameInAnyOrder() {
    Trace a = new Trace(10);
    Trace b = new Trace(10);
    a.record(1, Trace.Kind.FRAME, "d", "r", "x", "frame");
    b.record(1, Trace.Kind.FRAME, "d", "r", "x", "frame");
    a.engineEvent(1, "d", "added 1");
    a.engineEvent(1, "d", "added 2");
    b.engineEvent(1, "d", "added 2");
    b.engineEvent(1, "d", "added 1");
    assertEquals(a.hash(), b.hash());
  }

  @Test
  void theOrderOfRecordsChangesTheHash() {
    Trace a = new Trace(10);
    Trace b = new Trace(10);
    a.record(1, Trace.Kind.FRAME, "d", "r", "x", "one");
    a.record(1, Trace.Kind.FRAME, "d", "r", "x", "two");
    b.record(1, Trace.Kind.FRAME, "d", "r", "x", "two");
    b.record(1, Trace.Kind.FRAME, "d", "r", "x", "one");
    assertNotEquals(a.hash(), b.hash());
  }

  @Test
  void keepsOnlyTheMostRecentRecords() {
    Trace trace = new Trace(3);
    for (int i = 0; i < 10; i++) {
      trace.record(i, Trace.Kind.ACTION, "d", null, "a" + i, "a" + i);
    }
    assertEquals(3, trace.events().size());
    assertEquals("a9", trace.events().get(2).detail());
    assertEquals(10, trace.count());
  }
}
