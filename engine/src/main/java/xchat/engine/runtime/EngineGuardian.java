package xchat.engine.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import xchat.engine.api.CircleInfo;
import xchat.engine.api.EngineEvent;
import xchat.engine.circle.CircleActor;
import xchat.engine.circle.CircleRouting;
import xchat.engine.device.DeviceActor;
import xchat.engine.device.DeviceState;
import xchat.engine.device.DeviceStateEvents;
import xchat.engine.ingest.ConversationIndex;
import xchat.engine.ingest.PendingDeletions;
import xchat.engine.transport.RelayUrl;
import xchat.persistence.CircleId;
import xchat.persistence.index.Expiry;

/**
 * The root of one engine. It owns the device actor and one circle actor per circle, and keeps
 * the running circles equal to the circles the device state says are present: a circle added
 * on another device starts here, a circle removed anywhere is retired and crypto-shredded.
 */
public final class EngineGuardian {

  public sealed interface Command {}

  /** Sent once, right after the actor system starts: the engine's shared context. */
  public record Init(EngineContext engine) implements Command {}

  public record CreateCircle(String name, List<RelayUrl> relays, ActorRef<Result> replyTo) implements Command {}

  public record UpdateCircle(
      String name, Optional<List<RelayUrl>> relays, Optional<List<String>> fileServers, ActorRef<Result> replyTo)
      implements Command {}

  public record RemoveCircle(String name, ActorRef<Result> replyTo) implements Command {}

  public record GetCircle(String name, ActorRef<Optional<ActorRef<CircleActor.Command>>> replyTo) implements Command {}

  public record GetDevice(ActorRef<ActorRef<DeviceActor.Command>> replyTo) implements Command {}

  /** Retires every circle (draining its ingest), then stops. */
  public record Shutdown(ActorRef<Done> replyTo) implements Command {}

  /** What a circle request came to. */
  public sealed interface Result {}

  public record Accepted(CircleInfo circle) implements Result {}

  public record Refused(String reason, String message) implements Result {}

  private record Noted(DeviceActor.Notification notification) implements Command {}

  private record Edited(Command request, DeviceState state) implements Command {}

  private record CircleStopped(String name) implements Command {}

  private record SweepDue() implements Command {}

  private record RestartDue() implements Command {}

  private record Swept(List<Expiry> expired) implements Command {}

  private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);

  public static Behavior<Command> create() {
    return Behaviors.withStash(1000, stash -> Behaviors.setup(ctx -> Behaviors.receive(Command.class)
        .onMessage(Init.class, init -> stash.unstashAll(Behaviors.withTimers(timers ->
            new EngineGuardian(ctx, timers, init.engine()).running())))
        .onMessage(Command.class, m -> {
          stash.stash(m);
          return Behaviors.same();
        })
        .build()));
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final EngineContext engine;
  private final ActorRef<DeviceActor.Command> device;
  private final Map<String, Running> circles = new HashMap<>();
  private final CircleRouting routing = new CircleRouting();
  private final Map<String, List<ActorRef<Result>>> removalWaiters = new HashMap<>();
  private DeviceState state;
  private ActorRef<Done> shutdownReply;
  private int spawned;
  private int failures;

  private static final class Running {
    final ActorRef<CircleActor.Command> ref;
    List<String> relays;
    boolean removing;
    boolean retiring;

    Running(ActorRef<CircleActor.Command> ref, List<String> relays) {
      this.ref = ref;
      this.relays = relays;
    }
  }

  private EngineGuardian(ActorContext<Command> ctx, TimerScheduler<Command> timers, EngineContext engine) {
    this.ctx = ctx;
    this.timers = timers;
    this.engine = engine;
    ActorRef<DeviceActor.Notification> notes = ctx.messageAdapter(DeviceActor.Notification.class, Noted::new);
    this.device = ctx.spawn(DeviceActor.create(engine, notes), "device");
    this.state = DeviceActor.load(engine);
    reconcile();
    timers.startTimerWithFixedDelay("sweep", new SweepDue(), Duration.ofMillis(200), SWEEP_INTERVAL);
  }

  private Behavior<Command> running() {
    return Behaviors.receive(Command.class)
        .onMessage(CreateCircle.class, this::onCreateCircle)
        .onMessage(UpdateCircle.class, this::onUpdateCircle)
        .onMessage(RemoveCircle.class, this::onRemoveCircle)
        .onMessage(Edited.class, this::onEdited)
        .onMessage(GetCircle.class, m -> {
          Running running = circles.get(m.name());
          m.replyTo().tell(running == null || running.retiring ? Optional.empty() : Optional.of(running.ref));
          return Behaviors.same();
        })
        .onMessage(GetDevice.class, m -> {
          m.replyTo().tell(device);
          return Behaviors.same();
        })
        .onMessage(Noted.class, this::onNoted)
        .onMessage(CircleStopped.class, this::onCircleStopped)
        .onMessage(SweepDue.class, this::onSweepDue)
        .onMessage(RestartDue.class, m -> {
          reconcile();
          return Behaviors.same();
        })
        .onMessage(Swept.class, this::onSwept)
        .onMessage(Shutdown.class, this::onShutdown)
        .onSignal(Terminated.class, t -> Behaviors.same())
        .build();
  }

  // ---- Requests ---------------------------------------------------------------------------------

  private Behavior<Command> onCreateCircle(CreateCircle m) {
    if (state.presentCircles().containsKey(m.name())) {
      m.replyTo().tell(new Refused("CIRCLE_EXISTS", "a circle named " + m.name() + " exists already"));
      return Behaviors.same();
    }
    if (circles.containsKey(m.name())) {
      m.replyTo().tell(new Refused("CIRCLE_EXISTS", "the circle " + m.name() + " is still being removed"));
      return Behaviors.same();
    }
    edit(m, m.name(), true, urls(m.relays()), List.of());
    return Behaviors.same();
  }

  private Behavior<Command> onUpdateCircle(UpdateCircle m) {
    DeviceState.CircleEntry current = state.presentCircles().get(m.name());
    if (current == null) {
      m.replyTo().tell(new Refused("UNKNOWN_CIRCLE", "no circle named " + m.name()));
      return Behaviors.same();
    }
    edit(m, m.name(), true, m.relays().map(EngineGuardian::urls).orElse(current.relayList()),
        m.fileServers().orElse(current.fileServerList()));
    return Behaviors.same();
  }

  private Behavior<Command> onRemoveCircle(RemoveCircle m) {
    DeviceState.CircleEntry current = state.presentCircles().get(m.name());
    if (current == null) {
      m.replyTo().tell(new Refused("UNKNOWN_CIRCLE", "no circle named " + m.name()));
      return Behaviors.same();
    }
    removalWaiters.computeIfAbsent(m.name(), n -> new ArrayList<>()).add(m.replyTo());
    edit(m, m.name(), false, current.relayList(), current.fileServerList());
    return Behaviors.same();
  }

  private void edit(Command request, String name, boolean present, List<String> relays, List<String> fileServers) {
    Asks.<Command, DeviceActor.Command, DeviceState>ask(ctx, device, Duration.ofSeconds(30),
        replyTo -> new DeviceActor.EditCircle(name, present, relays, fileServers, replyTo),
        (next, failure) -> new Edited(request, next == null ? state : next));
  }

  private Behavior<Command> onEdited(Edited m) {
    state = m.state();
    reconcile();
    if (m.request() instanceof CreateCircle create) {
      create.replyTo().tell(info(create.name()));
    } else if (m.request() instanceof UpdateCircle update) {
      update.replyTo().tell(info(update.name()));
    } else if (m.request() instanceof RemoveCircle remove) {
      if (!circles.containsKey(remove.name())) {
        answerRemoval(remove.name());
      }
    }
    return Behaviors.same();
  }

  private Result info(String name) {
    DeviceState.CircleEntry entry = state.presentCircles().get(name);
    if (entry == null) {
      return new Refused("UNKNOWN_CIRCLE", "no circle named " + name);
    }
    return new Accepted(new CircleInfo(name, entry.relayList(), entry.fileServerList()));
  }

  // ---- Keeping circles equal to the device state ------------------------------------------------

  private Behavior<Command> onNoted(Noted m) {
    if (m.notification() instanceof DeviceActor.StateChanged changed) {
      state = changed.state();
      reconcile();
      engine.events().publish(new EngineEvent.DeviceStateChanged());
    } else if (m.notification() instanceof DeviceActor.PublishEverywhere publish) {
      for (Running running : circles.values()) {
        if (!running.retiring) {
          running.ref.tell(new CircleActor.PublishDeviceState(publish.event()));
        }
      }
    }
    return Behaviors.same();
  }

  private void reconcile() {
    if (shutdownReply != null) {
      return;
    }
    Map<String, DeviceState.CircleEntry> present = state.presentCircles();
    Map<String, List<String>> table = new HashMap<>();
    present.forEach((name, entry) -> table.put(name, entry.relayList()));
    routing.update(table);
    for (Map.Entry<String, DeviceState.CircleEntry> e : present.entrySet()) {
      String name = e.getKey();
      List<String> relays = e.getValue().relayList();
      Running running = circles.get(name);
      if (running == null) {
        start(name, relays);
      } else if (!running.retiring && !running.relays.equals(relays)) {
        running.relays = relays;
        running.ref.tell(new CircleActor.SetRelays(relays.stream().map(RelayUrl::of).toList()));
        engine.events().publish(new EngineEvent.CircleChanged(name, true));
      }
    }
    for (Map.Entry<String, Running> e : circles.entrySet()) {
      if (!present.containsKey(e.getKey()) && !e.getValue().retiring) {
        retire(e.getKey(), e.getValue(), true);
      }
    }
    // A circle removed while this device was away still has its keys in the store: shred them.
    for (CircleId id : engine.store().circles()) {
      if (!present.containsKey(id.value()) && !circles.containsKey(id.value())) {
        shred(id.value());
      }
    }
  }

  private void start(String name, List<String> relays) {
    CircleId id = CircleId.of(name);
    if (!engine.store().hasCircle(id)) {
      engine.store().createCircle(id);
    }
    ActorRef<CircleActor.Command> ref = ctx.spawn(
        CircleActor.create(engine, name, relays.stream().map(RelayUrl::of).toList(), device, routing),
        "circle-" + ++spawned);
    ctx.watchWith(ref, new CircleStopped(name));
    circles.put(name, new Running(ref, relays));
    engine.events().publish(new EngineEvent.CircleChanged(name, true));
    device.tell(new DeviceActor.Announce());
  }

  private void retire(String name, Running running, boolean remove) {
    running.retiring = true;
    running.removing = remove;
    Optional<xchat.protocol.event.NostrEvent> last = Optional.empty();
    if (remove && engine.online()) {
      // The removal must reach this circle's relays too, or a device that only knows this circle
      // would never learn it is gone.
      last = Optional.of(DeviceStateEvents.build(state, engine.deviceId(), engine.keys(), engine.curve(),
          engine.random(), engine.nowSeconds()));
    }
    ActorRef<Done> ignore = ctx.getSystem().ignoreRef();
    running.ref.tell(new CircleActor.Retire(last, ignore));
  }

  private Behavior<Command> onCircleStopped(CircleStopped m) {
    Running running = circles.remove(m.name());
    if (running != null && running.removing) {
      shred(m.name());
      answerRemoval(m.name());
    }
    if (shutdownReply != null && circles.isEmpty()) {
      shutdownReply.tell(Done.getInstance());
      return Behaviors.stopped();
    }
    if (running != null && !running.retiring && shutdownReply == null) {
      // Stopped without being asked (a failure): bring it back, with a growing delay.
      long delay = Math.min(60_000L, 500L << Math.min(7, failures++));
      ctx.getLog().warn("a circle actor failed; restarting it in {} ms", delay);
      timers.startSingleTimer("restart", new RestartDue(), Duration.ofMillis(delay));
    } else if (running != null && state.presentCircles().containsKey(m.name())) {
      reconcile(); // removed and re-added meanwhile
    }
    return Behaviors.same();
  }

  private void shred(String name) {
    CircleId id = CircleId.of(name);
    if (engine.store().deleteCircle(id)) {
      engine.store().batch().deleteDeviceState(ConversationIndex.documentKey(name))
          .deleteDeviceState(PendingDeletions.documentKey(name)).commit();
      engine.events().publish(new EngineEvent.CircleChanged(name, false));
    }
  }

  private void answerRemoval(String name) {
    List<ActorRef<Result>> waiters = removalWaiters.remove(name);
    if (waiters != null) {
      waiters.forEach(w -> w.tell(new Accepted(new CircleInfo(name, List.of(), List.of()))));
    }
  }

  // ---- NIP-40 sweep -----------------------------------------------------------------------------

  private Behavior<Command> onSweepDue(SweepDue m) {
    ctx.pipeToSelf(CompletableFuture.supplyAsync(this::sweep, engine.executor()),
        (expired, failure) -> {
          if (failure != null) {
            engine.events().publish(new EngineEvent.EngineError("", "the NIP-40 sweep failed: "
                + failure.getClass().getSimpleName()));
          }
          return new Swept(expired == null ? List.of() : expired);
        });
    return Behaviors.same();
  }

  private List<Expiry> sweep() {
    List<Expiry> all = new ArrayList<>();
    List<Expiry> batch;
    do {
      batch = engine.store().sweepExpired(engine.nowSeconds(), 1000);
      all.addAll(batch);
    } while (batch.size() == 1000);
    return all;
  }

  private Behavior<Command> onSwept(Swept m) {
    for (Expiry expiry : m.expired()) {
      engine.events().publish(new EngineEvent.MessageDeleted(expiry.circle().value(), expiry.rumorId().hex(), true));
    }
    return Behaviors.same();
  }

  // ---- Shutdown ---------------------------------------------------------------------------------

  private Behavior<Command> onShutdown(Shutdown m) {
    shutdownReply = m.replyTo();
    timers.cancelAll();
    if (circles.isEmpty()) {
      m.replyTo().tell(Done.getInstance());
      return Behaviors.stopped();
    }
    for (Map.Entry<String, Running> e : circles.entrySet()) {
      if (!e.getValue().retiring) {
        retire(e.getKey(), e.getValue(), false);
      }
    }
    return Behaviors.same();
  }

  private static List<String> urls(List<RelayUrl> relays) {
    return relays.stream().map(RelayUrl::value).toList();
  }
}
