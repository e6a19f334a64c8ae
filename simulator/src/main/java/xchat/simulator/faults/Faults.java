package xchat.simulator.faults;

import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/** Which faults are switched on, and at what rate. */
public final class Faults {
  private final EnumMap<Fault, Double> rates;

  private Faults(EnumMap<Fault, Double> rates) {
    this.rates = rates;
  }

  /** Every fault at its default rate. */
  public static Faults all() {
    EnumMap<Fault, Double> rates = new EnumMap<>(Fault.class);
    for (Fault fault : Fault.values()) {
      rates.put(fault, fault.defaultRate());
    }
    return new Faults(rates);
  }

  public static Faults none() {
    EnumMap<Fault, Double> rates = new EnumMap<>(Fault.class);
    for (Fault fault : Fault.values()) {
      rates.put(fault, 0.0);
    }
    return new Faults(rates);
  }

  public double rate(Fault fault) {
    return rates.get(fault);
  }

  public boolean on(Fault fault) {
    return rates.get(fault) > 0;
  }

  public Faults with(Fault fault, double rate) {
    if (rate < 0 || Double.isNaN(rate)) {
      throw new IllegalArgumentException("a fault rate is not negative");
    }
    EnumMap<Fault, Double> next = new EnumMap<>(rates);
    next.put(fault, rate);
    return new Faults(next);
  }

  public Faults without(Fault fault) {
    return with(fault, 0);
  }

  /** After healing: no more frame faults, partitions, crashes or skew changes; relays keep their nature. */
  public Faults healed() {
    Faults out = this;
    for (Fault fault : Fault.values()) {
      if (fault.group() == Fault.Group.NETWORK || fault == Fault.RELAY_CRASH || fault == Fault.DEVICE_CRASH
          || fault == Fault.CRASH_AFTER_SEND) {
        out = out.without(fault);
      }
    }
    return out;
  }

  public Map<Fault, Double> rates() {
    return Map.copyOf(rates);
  }

  /** The switches that differ from the defaults, for the failure line. */
  public String describe() {
    StringJoiner out = new StringJoiner(" ");
    for (Map.Entry<Fault, Double> e : rates.entrySet()) {
      if (e.getValue() != e.getKey().defaultRate()) {
        out.add("--fault " + e.getKey().flag() + "=" + e.getValue());
      }
    }
    return out.length() == 0 ? "(default faults)" : out.toString();
  }
}
