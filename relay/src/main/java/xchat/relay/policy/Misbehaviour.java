package xchat.relay.policy;

import java.time.Duration;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.message.OkPrefix;

/**
 * A relay that misbehaves in chosen ways, for tests. Start from {@link #honest()} and add faults;
 * each {@code with...} returns a new value.
 *
 * <pre>{@code
 * RelayBehaviour liar = Misbehaviour.honest().acknowledgingWithoutStoring();
 * RelayBehaviour flaky = Misbehaviour.honest().droppingConnectionAfter(3).delayingResponses(Duration.ofMillis(200));
 * }</pre>
 */
public record Misbehaviour(EventDecision eventDecision, Duration delay, int dropAfterFrames)
    implements RelayBehaviour {

  public Misbehaviour {
    if (eventDecision == null || delay == null || delay.isNegative() || dropAfterFrames < 0) {
      throw new IllegalArgumentException("a decision, a non-negative delay and frame count");
    }
  }

  public static Misbehaviour honest() {
    return new Misbehaviour(EventDecision.STORE, Duration.ZERO, 0);
  }

  /** Answers OK true to every valid EVENT and stores none of them. */
  public Misbehaviour acknowledgingWithoutStoring() {
    return new Misbehaviour(new EventDecision.AcknowledgeWithoutStoring(), delay, dropAfterFrames);
  }

  /** Refuses every valid EVENT with {@code "<prefix>: <text>"}. */
  public Misbehaviour refusing(OkPrefix prefix, String text) {
    return new Misbehaviour(new EventDecision.Refuse(prefix, text), delay, dropAfterFrames);
  }

  /** Drops each connection when its {@code frames}-th client frame arrives. */
  public Misbehaviour droppingConnectionAfter(int frames) {
    if (frames <= 0) {
      throw new IllegalArgumentException("frames must be positive");
    }
    return new Misbehaviour(eventDecision, delay, frames);
  }

  /** Holds back every outgoing frame by {@code responseDelay}. */
  public Misbehaviour delayingResponses(Duration responseDelay) {
    return new Misbehaviour(eventDecision, responseDelay, dropAfterFrames);
  }

  @Override
  public EventDecision onEvent(NostrEvent event) {
    return eventDecision;
  }

  @Override
  public Duration responseDelay() {
    return delay;
  }

  @Override
  public int dropConnectionAfterFrames() {
    return dropAfterFrames;
  }
}
