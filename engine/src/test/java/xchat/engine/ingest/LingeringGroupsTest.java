package xchat.engine.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LingeringGroupsTest {
  static final Duration FOREVER = Duration.ofHours(1);
  static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "lingering-groups");
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  /** Elements whose name starts with '!' are urgent. */
  record Run(BoundedSourceQueue<String> queue, List<List<String>> groups, CompletionStage<Done> done) {}

  static Run run(int max, Duration window) {
    List<List<String>> groups = new CopyOnWriteArrayList<>();
    Pair<BoundedSourceQueue<String>, CompletionStage<Done>> pair = Source.<String>queue(64)
        .via(Flow.fromGraph(new LingeringGroups<String>(max, window, s -> s.startsWith("!"))))
        .toMat(Sink.foreach(groups::add), Keep.both())
        .run(Materializer.matFromSystem(system));
    return new Run(pair.first(), groups, pair.second());
  }

  @Test
  void anUrgentElementTakesTheLingeringOnesWithItAtOnce() {
    Run run = run(100, FOREVER);
    run.queue().offer("a");
    run.queue().offer("b");
    run.queue().offer("!live");
    await().atMost(Duration.ofSeconds(10)).until(() -> run.groups().size() == 1);
    assertEquals(List.of(List.of("a", "b", "!live")), run.groups());
  }

  @Test
  void aGroupWithNothingUrgentLeavesOnceTheWindowHasPassed() {
    Run run = run(100, Duration.ofMillis(50));
    run.queue().offer("a");
    await().atMost(Duration.ofSeconds(10)).until(() -> run.groups().size() == 1);
    assertEquals(List.of(List.of("a")), run.groups());
  }

  @Test
  void aFullGroupLeavesAtOnceAndTheRestFollowsAtCompletion() throws Exception {
    Run run = run(3, FOREVER);
    for (String s : List.of("a", "b", "c", "d", "e", "f", "g")) {
      run.queue().offer(s);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> run.groups().size() == 2);
    run.queue().complete();
    run.done().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(List.of(List.of("a", "b", "c"), List.of("d", "e", "f"), List.of("g")), run.groups());
  }

  @Test
  void aZeroWindowNeverLingers() {
    Run run = run(100, Duration.ZERO);
    run.queue().offer("a");
    await().atMost(Duration.ofSeconds(10)).until(() -> run.groups().size() == 1);
    run.queue().offer("b");
    await().atMost(Duration.ofSeconds(10)).until(() -> run.groups().size() == 2);
    assertEquals(List.of(List.of("a"), List.of("b")), run.groups());
  }

  @Test
  void everyElementArrivesOnceAndInOrderUnderALoad() throws Exception {
    Run run = run(7, Duration.ofMillis(2));
    for (int i = 0; i < 50; i++) {
      run.queue().offer(i % 10 == 0 ? "!" + i : Integer.toString(i));
    }
    run.queue().complete();
    run.done().toCompletableFuture().get(10, TimeUnit.SECONDS);
    List<String> flat = run.groups().stream().flatMap(List::stream).toList();
    assertEquals(50, flat.size());
    for (int i = 0; i < 50; i++) {
      assertEquals(i % 10 == 0 ? "!" + i : Integer.toString(i), flat.get(i));
    }
    assertTrue(run.groups().stream().allMatch(g -> !g.isEmpty() && g.size() <= 7), run.groups().toString());
  }

  @Test
  void aNegativeWindowOrAnEmptyGroupIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new LingeringGroups<String>(0, FOREVER, s -> false));
    assertThrows(IllegalArgumentException.class,
        () -> new LingeringGroups<String>(1, Duration.ofMillis(-1), s -> false));
  }
}
