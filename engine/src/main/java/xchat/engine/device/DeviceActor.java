package xchat.engine.device;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import xchat.engine.runtime.EngineContext;
import xchat.protocol.event.NostrEvent;

/**
 * Owns this device's identity in the account and the device-state CRDT: read markers, circle
 * definitions, mutes and the device registry. Every change is stored (sealed) before it is
 * announced; then the merged state is published, NIP-44-encrypted to self as a NIP-78 event, on
 * the relays of every circle, so a device that knows any one circle learns all of them.
 */
public final class DeviceActor {

  public sealed interface Command {}

  /** Creates, changes or removes a circle definition; replies with the new state. */
  public record EditCircle(
      String name, boolean present, List<String> relays, List<String> fileServers, ActorRef<DeviceState> replyTo)
      implements Command {
    public EditCircle {
      Objects.requireNonNull(name, "name");
      relays = List.copyOf(relays);
      fileServers = List.copyOf(fileServers);
    }
  }

  public record MarkRead(String circle, String conversation, DeviceState.ReadEntry entry) implements Command {}

  public record Mute(String circle, String conversation, boolean muted) implements Command {}

  /** Another device's document, as the circle's ingest opened it. */
  public record RemoteState(DeviceState state) implements Command {}

  /** Deletions this device applied (rumor ids), for the other devices' confirmation reports. */
  public record DeletionsApplied(List<String> rumorIds) implements Command {}

  public record Get(ActorRef<DeviceState> replyTo) implements Command {}

  /** Publishes the current state now (e.g. to a circle that just started). */
  public record Announce() implements Command {}

  private record PublishDue() implements Command {}

  /** What the device actor tells the guardian. */
  public sealed interface Notification {}

  /** The merged state changed: circles may have appeared, changed or gone. */
  public record StateChanged(DeviceState state) implements Notification {}

  /** This document should go to every circle's relays. */
  public record PublishEverywhere(NostrEvent event) implements Notification {}

  public static final String STATE_KEY = "xchat/device-state";
  private static final Duration PUBLISH_DEBOUNCE = Duration.ofSeconds(1);

  public static Behavior<Command> create(EngineContext engine, ActorRef<Notification> listener) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new DeviceActor(ctx, timers, engine, listener).running()));
  }

  /** The state as last stored on this device. */
  public static DeviceState load(EngineContext engine) {
    Optional<byte[]> stored = engine.store().deviceState(STATE_KEY);
    if (stored.isEmpty()) {
      return DeviceState.EMPTY;
    }
    try {
      return DeviceState.fromJson(stored.get());
    } catch (DeviceState.FormatException e) {
      throw new xchat.persistence.StoreCorruptedException("the stored device state cannot be read");
    }
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final EngineContext engine;
  private final ActorRef<Notification> listener;
  private DeviceState state;
  private long lastPublished;
  private boolean dirty;

  private DeviceActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, EngineContext engine,
      ActorRef<Notification> listener) {
    this.ctx = ctx;
    this.timers = timers;
    this.engine = engine;
    this.listener = listener;
    DeviceState loaded = load(engine);
    DeviceState.DeviceEntry self = loaded.devices().get(engine.deviceId());
    this.state = loaded.withDevice(engine.deviceId(), new DeviceState.DeviceEntry(
        engine.deviceLabel(), engine.clock().millis(), self == null ? List.of() : self.deletions()));
    store();
    schedulePublish();
  }

  private Behavior<Command> running() {
    return Behaviors.receive(Command.class)
        .onMessage(EditCircle.class, this::onEditCircle)
        .onMessage(MarkRead.class, m -> change(state.withRead(
            DeviceState.conversationKey(m.circle(), m.conversation()), m.entry())))
        .onMessage(Mute.class, m -> change(state.withMute(
            DeviceState.conversationKey(m.circle(), m.conversation()), new DeviceState.MuteEntry(m.muted(), stamp()))))
        .onMessage(RemoteState.class, m -> change(state.merge(m.state())))
        .onMessage(DeletionsApplied.class, this::onDeletionsApplied)
        .onMessage(Get.class, m -> {
          m.replyTo().tell(state);
          return Behaviors.same();
        })
        .onMessage(Announce.class, m -> {
          schedulePublish();
          return Behaviors.same();
        })
        .onMessage(PublishDue.class, m -> {
          onPublishDue();
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Command> onEditCircle(EditCircle m) {
    change(state.editCircle(m.name(), m.present(), m.relays(), m.fileServers(), stamp()));
    m.replyTo().tell(state);
    return Behaviors.same();
  }

  private Behavior<Command> onDeletionsApplied(DeletionsApplied m) {
    DeviceState.DeviceEntry self = state.devices().get(engine.deviceId());
    List<String> deletions = self.deletions();
    for (String id : m.rumorIds()) {
      deletions = DeviceState.appendBounded(deletions, id);
    }
    return change(state.withDevice(engine.deviceId(), new DeviceState.DeviceEntry(
        self.label(), Math.max(self.lastSeen() + 1, engine.clock().millis()), deletions)));
  }

  private Behavior<Command> change(DeviceState next) {
    if (next.equals(state)) {
      return Behaviors.same();
    }
    state = next;
    store();
    listener.tell(new StateChanged(state));
    schedulePublish();
    return Behaviors.same();
  }

  /** Hybrid time: never behind a stamp already seen, so a new edit wins over what it replaces. */
  private DeviceState.Stamp stamp() {
    return new DeviceState.Stamp(Math.max(engine.clock().millis(), state.maxStampMillis() + 1), engine.deviceId());
  }

  private void store() {
    engine.store().batch().putDeviceState(STATE_KEY, state.toJson()).commit();
  }

  /**
   * Publishes at once, then at most once per {@link #PUBLISH_DEBOUNCE}: a short-lived process (a
   * CLI command) still announces itself, and a burst of edits makes one document, whose
   * created_at never runs ahead of the clock.
   */
  private void schedulePublish() {
    if (!engine.online()) {
      return;
    }
    if (timers.isTimerActive("publish")) {
      dirty = true;
      return;
    }
    publish();
    timers.startSingleTimer("publish", new PublishDue(), PUBLISH_DEBOUNCE);
  }

  private void onPublishDue() {
    if (dirty) {
      dirty = false;
      publish();
      timers.startSingleTimer("publish", new PublishDue(), PUBLISH_DEBOUNCE);
    }
  }

  private void publish() {
    try {
      // NIP-01: of two versions of an addressable event with the same created_at, a relay keeps
      // the lower id, which may be the older one; so each version gets a later second.
      lastPublished = Math.max(engine.nowSeconds(), lastPublished + 1);
      NostrEvent event = DeviceStateEvents.build(state, engine.deviceId(), engine.keys(), engine.curve(),
          engine.random(), lastPublished);
      listener.tell(new PublishEverywhere(event));
    } catch (RuntimeException e) {
      // NIP-44 caps a payload at 64 KiB; a larger state stays local until it is compacted.
      ctx.getLog().warn("the device state could not be published: {}", e.getClass().getSimpleName());
    }
  }
}
