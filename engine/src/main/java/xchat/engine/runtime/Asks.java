package xchat.engine.runtime;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.japi.function.Function2;

/**
 * Asks whose answers continue on a given executor. Pekko's Java {@code ask} (and every
 * CompletionStage Pekko converts from a Scala future, e.g. a {@code Sink.foreach} materialized
 * value) is Scala's {@code CompletableFuture}, which turns {@code thenApply}, {@code handle},
 * {@code whenComplete}... into their {@code *Async} forms on the common fork-join pool; Pekko's
 * own {@code ActorContext.ask} and {@code pipeToSelf} call {@code handle} on it. Every answer
 * here is a plain future completed on the executor, so what follows runs where the engine says.
 */
public final class Asks {
  private Asks() {}

  /** {@code stage}, completed on {@code executor}: its dependents never reach the common pool. */
  public static <T> CompletableFuture<T> on(CompletionStage<T> stage, Executor executor) {
    CompletableFuture<T> out = new CompletableFuture<>();
    stage.whenCompleteAsync((value, failure) -> {
      if (failure != null) {
        out.completeExceptionally(failure);
      } else {
        out.complete(value);
      }
    }, executor);
    return out;
  }

  /** {@link AskPattern#ask}, answered on {@code executor}. */
  public static <Req, Res> CompletableFuture<Res> ask(RecipientRef<Req> target,
      Function<ActorRef<Res>, Req> message, Duration timeout, Scheduler scheduler, Executor executor) {
    return on(AskPattern.ask(target, message, timeout, scheduler), executor);
  }

  /**
   * {@code ctx.ask(...)} without the hop through the common pool: the answer (or the timeout) is
   * piped to the actor from its own dispatcher.
   */
  public static <T, Req, Res> void ask(ActorContext<T> ctx, RecipientRef<Req> target, Duration timeout,
      Function<ActorRef<Res>, Req> message, Function2<Res, Throwable, T> applyToResponse) {
    ctx.pipeToSelf(ask(target, message, timeout, ctx.getSystem().scheduler(), ctx.getExecutionContext()),
        applyToResponse);
  }
}
