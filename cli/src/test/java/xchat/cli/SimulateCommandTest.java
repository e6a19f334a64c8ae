package xchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {

  @Test
  void listsTheBugsItCanInject() {
    CliTest.Result result = CliTest.run("", "simulate", "--list-bugs");
    assertEquals(0, result.code(), result.err());
    assertEquals(java.util.List.of("skip-tombstone-check", "order-by-wrap-created-at", "drop-self-copy",
        "share-socket-across-circles", "ack-before-durable-write", "ignore-live-events"), result.lines());
  }

  @Test
  void aQuietRunPrintsOneLineThenTheSummaryAndAReport(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("run.html");
    CliTest.Result result = CliTest.run("", "simulate", "--seed", "11", "--devices", "2", "--relays", "1",
        "--circles", "1", "--chaos", "5", "--settle", "5", "--faults", "none", "--report", report.toString());
    assertEquals(0, result.code(), result.err());
    assertTrue(result.lines().get(0).matches("seed 11 trace-hash [0-9a-f]{64} violations 0"), result.out());
    for (String row : new String[] {"seeds", "simulated time", "events", "faults injected", "violations",
        "runs per second"}) {
      assertTrue(result.out().contains(row), row + " in " + result.out());
    }
    String html = Files.readString(report);
    assertTrue(html.contains("<svg") && html.contains("seed 11"), "the report draws the run");
  }

  @Test
  void unknownNamesAreBadUsage() {
    assertEquals(2, CliTest.run("", "simulate", "--inject-bug", "no-such-bug").code());
    assertEquals(2, CliTest.run("", "simulate", "--fault", "no-such-fault=1").code());
  }
}
