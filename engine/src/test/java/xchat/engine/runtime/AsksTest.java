package xchat.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AsksTest {
  private record Echo(String text, ActorRef<String> replyTo) {}

  private final ActorTestKit kit = ActorTestKit.create();
  private final ExecutorService given = Executors.newSingleThreadExecutor(r -> new Thread(r, "given"));

  @AfterEach
  void close() {
    kit.shutdownTestKit();
    given.shutdownNow();
  }

  private static Behavior<Echo> echo() {
    return Behaviors.receiveMessage(m -> {
      m.replyTo().tell(m.text());
      return Behaviors.same();
    });
  }

  @Test
  void theAnswerAndWhatFollowsItRunOnTheGivenExecutorNotTheCommonPool() throws Exception {
    ActorRef<Echo> ref = kit.spawn(echo());
    // "given" is busy until the gate opens, so what follows is registered before the answer lands.
    CompletableFuture<Void> gate = new CompletableFuture<>();
    given.execute(gate::join);
    CompletableFuture<String> answer = Asks.ask(ref, replyTo -> new Echo("hi", replyTo), Duration.ofSeconds(5),
        kit.system().scheduler(), given);
    CompletableFuture<String> where = answer.thenApply(text -> text + " on " + Thread.currentThread().getName());
    gate.complete(null);
    assertEquals("hi on given", where.get(5, TimeUnit.SECONDS));
  }

  @Test
  void aTimeoutFailsTheAnswerOnTheGivenExecutor() throws Exception {
    ActorRef<Echo> silent = kit.spawn(Behaviors.<Echo>ignore());
    CompletableFuture<Void> gate = new CompletableFuture<>();
    given.execute(gate::join);
    CompletableFuture<String> answer = Asks.ask(silent, replyTo -> new Echo("hi", replyTo), Duration.ofMillis(50),
        kit.system().scheduler(), given);
    CompletableFuture<String> where = answer.handle((text, failure) ->
        (failure instanceof TimeoutException ? "timeout" : String.valueOf(failure)) + " on "
            + Thread.currentThread().getName());
    gate.complete(null);
    assertEquals("timeout on given", where.get(5, TimeUnit.SECONDS));
  }
}
