package xchat.engine.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import xchat.engine.runtime.Asks;
import xchat.engine.transport.RelayUrl;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;

/**
 * The relays of one circle: one {@link RelayActor} child per URL, publishing to all of them, and
 * health across them. A relay that is down or refuses transiently does not hold a publish back as
 * long as enough others accept it; its own outcome still arrives later at the outcome listener.
 */
public final class RelayPool {

  public sealed interface Command {}

  /**
   * Publishes to every relay. The report goes to {@code replyTo} once {@code requiredAcks} relays
   * accepted, once every relay has a final outcome, or at {@code deadline}, whichever is first.
   */
  public record Publish(NostrEvent event, int requiredAcks, Duration deadline, ActorRef<PublishReport> replyTo)
      implements Command {
    public Publish {
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(deadline, "deadline");
      Objects.requireNonNull(replyTo, "replyTo");
      if (requiredAcks < 1) {
        throw new IllegalArgumentException("at least one acknowledgement is required");
      }
    }
  }

  /** Opens the same subscription on every relay. */
  public record SubscribeAll(RelayActor.Subscribe subscribe) implements Command {}

  public record UnsubscribeAll(String subscriptionId) implements Command {}

  public record GetHealth(ActorRef<List<RelayHealth>> replyTo) implements Command {}

  /** The relay actors, for commands addressed to one relay (sync, repair). */
  public record GetRelays(ActorRef<Map<RelayUrl, ActorRef<RelayActor.Command>>> replyTo) implements Command {}

  private record OutcomeArrived(PublishOutcome outcome) implements Command {}

  private record DeadlineReached(long publishId) implements Command {}

  private record HealthArrived(long requestId, Optional<RelayHealth> health) implements Command {}

  /** The default of the issue: one relay's acceptance is enough. */
  public static final int DEFAULT_REQUIRED_ACKS = 1;

  /**
   * @param outcomes receives every relay's outcome for every event, including those that arrive
   *     after the publish call already returned
   */
  public static Behavior<Command> create(List<RelayUrl> relays, RelaySettings settings, RelayDeps deps,
      Optional<ActorRef<PublishOutcome>> outcomes) {
    List<RelayUrl> urls = List.copyOf(relays);
    if (urls.isEmpty() || Set.copyOf(urls).size() != urls.size()) {
      throw new IllegalArgumentException("a pool needs at least one relay, each once");
    }
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new RelayPool(ctx, timers, urls, settings, deps, outcomes).running()));
  }

  /** Java-friendly publish: the stage completes with the report, on {@code executor}. */
  public static CompletionStage<PublishReport> publish(ActorRef<Command> pool, NostrEvent event,
      int requiredAcks, Duration deadline, Scheduler scheduler, Executor executor) {
    // The pool answers at the deadline itself; the ask timeout is only a backstop.
    return Asks.ask(pool, replyTo -> new Publish(event, requiredAcks, deadline, replyTo),
        deadline.plusSeconds(5), scheduler, executor);
  }

  public static CompletionStage<List<RelayHealth>> health(ActorRef<Command> pool, Duration timeout,
      Scheduler scheduler, Executor executor) {
    return Asks.ask(pool, GetHealth::new, timeout, scheduler, executor);
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final Map<RelayUrl, ActorRef<RelayActor.Command>> relays = new LinkedHashMap<>();
  private final Optional<ActorRef<PublishOutcome>> outcomeListener;
  private final ActorRef<PublishOutcome> outcomeAdapter;
  private final Map<Long, Aggregation> publishes = new HashMap<>();
  private final Map<Long, HealthRequest> healthRequests = new HashMap<>();
  private long counter;

  private static final class Aggregation {
    final long id;
    final EventId eventId;
    final int required;
    final ActorRef<PublishReport> replyTo;
    final Map<RelayUrl, PublishOutcome> outcomes = new HashMap<>();

    Aggregation(long id, EventId eventId, int required, ActorRef<PublishReport> replyTo) {
      this.id = id;
      this.eventId = eventId;
      this.required = required;
      this.replyTo = replyTo;
    }

    long successes() {
      return outcomes.values().stream().filter(PublishOutcome::isSuccess).count();
    }
  }

  private static final class HealthRequest {
    final ActorRef<List<RelayHealth>> replyTo;
    final List<RelayHealth> collected = new ArrayList<>();
    int waiting;

    HealthRequest(ActorRef<List<RelayHealth>> replyTo, int waiting) {
      this.replyTo = replyTo;
      this.waiting = waiting;
    }
  }

  private RelayPool(ActorContext<Command> ctx, TimerScheduler<Command> timers, List<RelayUrl> urls,
      RelaySettings settings, RelayDeps deps, Optional<ActorRef<PublishOutcome>> outcomes) {
    this.ctx = ctx;
    this.timers = timers;
    this.outcomeListener = outcomes;
    this.outcomeAdapter = ctx.messageAdapter(PublishOutcome.class, OutcomeArrived::new);
    int index = 0;
    for (RelayUrl url : urls) {
      relays.put(url, ctx.spawn(RelayActor.create(url, settings, deps), "relay-" + index++));
    }
  }

  private Behavior<Command> running() {
    return Behaviors.receive(Command.class)
        .onMessage(Publish.class, this::onPublish)
        .onMessage(OutcomeArrived.class, this::onOutcome)
        .onMessage(DeadlineReached.class, this::onDeadline)
        .onMessage(SubscribeAll.class, m -> {
          relays.values().forEach(relay -> relay.tell(m.subscribe()));
          return Behaviors.same();
        })
        .onMessage(UnsubscribeAll.class, m -> {
          relays.values().forEach(relay -> relay.tell(new RelayActor.Unsubscribe(m.subscriptionId())));
          return Behaviors.same();
        })
        .onMessage(GetRelays.class, m -> {
          // In URL order, not Map.copyOf's per-JVM order: the simulator replays a seed exactly.
          m.replyTo().tell(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(relays)));
          return Behaviors.same();
        })
        .onMessage(GetHealth.class, this::onGetHealth)
        .onMessage(HealthArrived.class, this::onHealthArrived)
        .build();
  }

  private Behavior<Command> onPublish(Publish m) {
    long id = ++counter;
    publishes.put(id, new Aggregation(id, m.event().id(), m.requiredAcks(), m.replyTo()));
    timers.startSingleTimer(id, new DeadlineReached(id), m.deadline());
    for (ActorRef<RelayActor.Command> relay : relays.values()) {
      relay.tell(new RelayActor.Publish(m.event(), outcomeAdapter));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onOutcome(OutcomeArrived m) {
    PublishOutcome outcome = m.outcome();
    outcomeListener.ifPresent(listener -> listener.tell(outcome));
    for (Aggregation aggregation : new ArrayList<>(publishes.values())) {
      if (aggregation.eventId.equals(outcome.eventId())) {
        aggregation.outcomes.put(outcome.relay(), outcome);
        if (aggregation.successes() >= aggregation.required
            || aggregation.outcomes.size() == relays.size()) {
          reply(aggregation);
        }
      }
    }
    return Behaviors.same();
  }

  private Behavior<Command> onDeadline(DeadlineReached m) {
    Aggregation aggregation = publishes.get(m.publishId());
    if (aggregation != null) {
      reply(aggregation);
    }
    return Behaviors.same();
  }

  private void reply(Aggregation aggregation) {
    publishes.remove(aggregation.id);
    timers.cancel(aggregation.id);
    Set<RelayUrl> pending = new java.util.HashSet<>(relays.keySet());
    pending.removeAll(aggregation.outcomes.keySet());
    aggregation.replyTo.tell(new PublishReport(aggregation.eventId, aggregation.required,
        aggregation.successes() >= aggregation.required, aggregation.outcomes, pending));
  }

  private Behavior<Command> onGetHealth(GetHealth m) {
    long id = ++counter;
    healthRequests.put(id, new HealthRequest(m.replyTo(), relays.size()));
    for (ActorRef<RelayActor.Command> relay : relays.values()) {
      Asks.<Command, RelayActor.Command, RelayHealth>ask(ctx, relay, Duration.ofSeconds(5), RelayActor.GetHealth::new,
          (health, failure) -> new HealthArrived(id, Optional.ofNullable(health)));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onHealthArrived(HealthArrived m) {
    HealthRequest request = healthRequests.get(m.requestId());
    if (request == null) {
      return Behaviors.same();
    }
    m.health().ifPresent(request.collected::add);
    if (--request.waiting == 0) {
      healthRequests.remove(m.requestId());
      request.collected.sort((a, b) -> a.relay().compareTo(b.relay()));
      request.replyTo.tell(List.copyOf(request.collected));
    }
    return Behaviors.same();
  }
}
