package xchat.simulator.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import xchat.simulator.checker.Guarantee;
import xchat.simulator.checker.Violation;
import xchat.simulator.world.RunResult;
import xchat.simulator.world.WorldConfig;

class HtmlReportTest {
  @Test
  void oneSelfContainedFileWithALanePerDeviceAndRelay() {
    Trace trace = new Trace(100);
    trace.record(10, Trace.Kind.FRAME, "a0.d0", "ws://relays.sim:7001", "EVENT 0123456789ab kind 1059 (sent at 3)", "f");
    trace.record(11, Trace.Kind.STORED, "r0", null, "stored 0123456789ab kind 1059", "s");
    trace.record(12, Trace.Kind.FAULT, "a0.d1", "ws://relays.sim:7001", "partition starts", "p");
    trace.engineEvent(20, "a0.d1", "added <script>", "x");
    trace.endInstant();
    RunResult result = new RunResult(WorldConfig.defaults(9), "00", List.of(new Violation(Guarantee.ONE_ORDER, 30,
        "a0.d1 shows x before y", List.of("x"), List.of("a0.d1"))), 40, trace.count(), 5, 1, 1, 3, 1, 0, 100, 0, List.of(),
        trace.events(), List.of("a0.d0", "a0.d1"), Map.of("r0", "ws://relays.sim:7001 anchor honest"), Map.of());
    String html = HtmlReport.render(result, "--devices 2", HtmlReport.rows(List.of(result), 100));
    assertTrue(html.contains("<svg"));
    assertTrue(html.contains(">a0.d0</text>") && html.contains(">a0.d1</text>") && html.contains(">r0</text>"));
    assertTrue(html.contains("guarantee 3 (one order everywhere)"));
    assertFalse(html.contains("<script"), "text from the run is escaped");
    assertFalse(html.contains("http://") && !html.contains("http://www.w3.org/2000/svg"), "no network references");
  }
}
