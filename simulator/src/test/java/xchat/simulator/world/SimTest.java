package xchat.simulator.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimTest {
  private final Sim sim = new Sim(World.EPOCH_MILLIS);

  @AfterEach
  void close() {
    sim.close();
  }

  @Test
  void timersDueAtTheSameInstantFireInTheOrderTheyWereSet() {
    Node node = sim.node("n");
    List<String> fired = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String name = "t" + i;
      sim.schedule(node, 100, () -> fired.add(name));
    }
    sim.runUntil(100);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      expected.add("t" + i);
    }
    assertEquals(expected, fired);
  }

  @Test
  void timeJumpsToTheNextTimerOnlyWhenNoTaskIsReady() {
    Node node = sim.node("n");
    List<String> log = new ArrayList<>();
    sim.schedule(node, 500, () -> log.add("timer at " + sim.now()));
    node.executor().execute(() -> {
      log.add("task at " + sim.now());
      node.executor().execute(() -> log.add("follow-up at " + sim.now()));
    });
    sim.runUntil(1_000);
    assertEquals(List.of("task at 0", "follow-up at 0", "timer at 500"), log);
    assertEquals(1_000, sim.now());
  }

  @Test
  void aDeadNodeRunsNothingItQueuedOrScheduled() {
    Node node = sim.node("n");
    List<String> log = new ArrayList<>();
    node.executor().execute(() -> log.add("task"));
    sim.schedule(node, 10, () -> log.add("timer"));
    node.kill();
    sim.runUntil(100);
    assertEquals(List.of(), log);
  }

  @Test
  void aTaskFromAnotherThreadIsRecordedWithItsStackAndStillRuns() throws Exception {
    Node node = sim.node("n");
    List<String> log = new ArrayList<>();
    Thread outsider = new Thread(() -> node.executor().execute(() -> log.add("foreign")), "outsider");
    outsider.start();
    outsider.join();
    assertEquals(1, sim.foreignSubmissions());
    ForeignTask task = sim.foreignTasks().get(0);
    assertEquals("outsider", task.thread());
    assertTrue(task.stack().contains("SimTest"), "the stack shows who submitted it: " + task.stack());
    sim.runUntil(10);
    assertEquals(List.of("foreign"), log);
  }

  @Test
  void awaitRunsTheWorldUntilTheStageCompletes() throws Exception {
    Node node = sim.node("n");
    CompletableFuture<String> answer = new CompletableFuture<>();
    sim.schedule(node, 250, () -> answer.complete("done"));
    assertEquals("done", sim.await(answer, Duration.ofSeconds(1)));
    assertEquals(250, sim.now());
  }

  @Test
  void awaitGivesUpAfterItsVirtualTimeout() {
    CompletableFuture<String> never = new CompletableFuture<>();
    assertThrows(TimeoutException.class, () -> sim.await(never, Duration.ofSeconds(3)));
    assertEquals(3_000, sim.now());
  }

  @Test
  void controlActionsWaitForTheTopLevelLoop() throws Exception {
    Node node = sim.node("n");
    List<String> log = new ArrayList<>();
    sim.scheduleControl(10, () -> log.add("control"));
    CompletableFuture<String> answer = new CompletableFuture<>();
    sim.schedule(node, 50, () -> answer.complete("x"));
    sim.await(answer, Duration.ofSeconds(1));
    assertTrue(log.isEmpty(), "an await must not start a workload action");
    sim.runUntil(100);
    assertEquals(List.of("control"), log);
  }
}
