package xchat.simulator.faults;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import java.util.StringJoiner;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.nip09.DeletionRequest;
import xchat.relay.policy.EventDecision;
import xchat.relay.policy.RelayBehaviour;
import xchat.relay.server.RelayConfig;
import xchat.relay.server.RelayLimits;
import xchat.relay.store.Durability;
import xchat.simulator.world.Drbg;

/**
 * How one relay misbehaves, drawn once per relay. An anchor relay (the first of each circle)
 * never refuses or loses what it acknowledged, so every circle keeps one relay that survives: the
 * "surviving relay" of guarantee 1.
 *
 * @param silentNegentropy with FAKE_NIP77: ignore NEG-OPEN instead of answering NEG-ERR
 */
public record RelayNature(Set<Fault> misbehaviours, boolean silentNegentropy, boolean anchor) {

  private static final Set<Fault> NATURES = EnumSet.of(Fault.IGNORE_DELETIONS, Fault.FAKE_NIP77,
      Fault.AUTH_REQUIRED, Fault.RATE_LIMIT, Fault.REJECT_BACKDATED, Fault.OK_WITHOUT_STORING);
  private static final Set<Fault> NOT_FOR_ANCHORS = EnumSet.of(Fault.REJECT_BACKDATED, Fault.OK_WITHOUT_STORING);

  public RelayNature {
    misbehaviours = Set.copyOf(misbehaviours);
  }

  public static RelayNature draw(Faults faults, Drbg random, boolean anchor) {
    EnumSet<Fault> chosen = EnumSet.noneOf(Fault.class);
    for (Fault fault : NATURES) {
      boolean drawn = random.chance(faults.rate(fault));
      if (drawn && !(anchor && NOT_FOR_ANCHORS.contains(fault))) {
        chosen.add(fault);
      }
    }
    return new RelayNature(chosen, random.chance(0.5), anchor);
  }

  public boolean has(Fault fault) {
    return misbehaviours.contains(fault);
  }

  /** The relay's real configuration for this nature. */
  public RelayConfig config(Clock clock) {
    RelayLimits base = RelayLimits.DEFAULT;
    RelayLimits.RateLimit events = has(Fault.RATE_LIMIT) ? new RelayLimits.RateLimit(4, 8) : base.eventRate();
    RelayLimits.RateLimit reqs = has(Fault.RATE_LIMIT) ? new RelayLimits.RateLimit(1, 6) : base.reqRate();
    long lower = has(Fault.REJECT_BACKDATED) ? 24 * 60 * 60 : base.createdAtLowerLimit();
    RelayLimits limits = new RelayLimits(base.maxMessageBytes(), base.maxSubscriptions(), base.maxFilters(),
        base.maxFilterValues(), base.maxLimit(), base.defaultLimit(), base.maxEventTags(), base.maxContentLength(),
        events, reqs, lower, base.createdAtUpperLimit(), base.maxNegentropySessions(), base.maxNegentropyItems(),
        base.negentropyFrameBytes(), base.outputBufferMessages(), base.outputBufferBytes(), base.maxPendingWrites());
    return RelayConfig.defaults()
        .withClock(clock)
        .withLimits(limits)
        .withAuthRequired(has(Fault.AUTH_REQUIRED))
        .withDurability(Durability.WAL)
        .withBehaviour(behaviour());
  }

  private RelayBehaviour behaviour() {
    boolean liar = has(Fault.OK_WITHOUT_STORING);
    boolean keepsDeleted = has(Fault.IGNORE_DELETIONS);
    if (!liar && !keepsDeleted) {
      return RelayBehaviour.HONEST;
    }
    return new RelayBehaviour() {
      @Override
      public EventDecision onEvent(NostrEvent event) {
        if (liar || (keepsDeleted && event.kind() == DeletionRequest.KIND)) {
          return new EventDecision.AcknowledgeWithoutStoring();
        }
        return EventDecision.STORE;
      }
    };
  }

  @Override
  public String toString() {
    StringJoiner out = new StringJoiner(",", "[", "]");
    misbehaviours.stream().sorted().forEach(f -> out.add(f.flag() + (f == Fault.FAKE_NIP77 && silentNegentropy ? "(silent)" : "")));
    return (anchor ? "anchor " : "") + (misbehaviours.isEmpty() ? "honest" : out.toString());
  }
}
