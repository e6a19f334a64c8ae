package xchat.simulator.faults;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Every fault the simulator can inject, with its default rate and what the rate means. */
public enum Fault {
  // Network, per frame
  LATENCY_SPIKE(Group.NETWORK, 0.01, "per frame: 0.5 to 5 s extra delay"),
  LOSS(Group.NETWORK, 0.002, "per frame: the frame vanishes"),
  DUPLICATION(Group.NETWORK, 0.002, "per frame: delivered twice"),
  REORDER(Group.NETWORK, 0.01, "per frame: may overtake earlier frames"),
  RESET(Group.NETWORK, 0.0005, "per frame: the socket breaks"),
  // Network, per link
  PARTITION(Group.NETWORK, 0.15, "per device-relay link per virtual minute: cut for 2 to 30 s (half reset, half blackhole)"),
  // Relays
  RELAY_CRASH(Group.RELAY, 0.3, "per relay per virtual minute: down for 1 to 20 s, then restarted"),
  RELAY_DATA_LOSS(Group.RELAY, 0.3, "share of relay crashes that lose everything stored (never a circle's anchor relay)"),
  IGNORE_DELETIONS(Group.RELAY, 0.25, "share of relays that answer OK to NIP-09 deletions and keep the events"),
  FAKE_NIP77(Group.RELAY, 0.25, "share of relays that claim NIP-77 and fail every NEG-OPEN"),
  AUTH_REQUIRED(Group.RELAY, 0.3, "share of relays that require NIP-42 AUTH"),
  RATE_LIMIT(Group.RELAY, 0.25, "share of relays with tight EVENT and REQ rate limits"),
  REJECT_BACKDATED(Group.RELAY, 0.25, "share of relays that refuse created_at older than one day (never an anchor)"),
  OK_WITHOUT_STORING(Group.RELAY, 0.15, "share of relays that answer OK true and store nothing (never an anchor)"),
  // Devices
  DEVICE_CRASH(Group.DEVICE, 0.2, "per device per virtual minute: killed mid-work, restarted from its store 1 to 15 s later"),
  CRASH_AFTER_SEND(Group.DEVICE, 0.05, "per send: the device is killed the instant send() returns"),
  CLOCK_SKEW(Group.DEVICE, 0.3, "share of devices whose clock is off by up to 10 minutes"),
  LATE_DEVICE(Group.DEVICE, 0.5, "per account: a new device joins halfway through and bootstraps");

  public enum Group { NETWORK, RELAY, DEVICE }

  private final Group group;
  private final double defaultRate;
  private final String meaning;

  Fault(Group group, double defaultRate, String meaning) {
    this.group = group;
    this.defaultRate = defaultRate;
    this.meaning = meaning;
  }

  public Group group() {
    return group;
  }

  public double defaultRate() {
    return defaultRate;
  }

  public String meaning() {
    return meaning;
  }

  /** The command-line name: lower case with dashes. */
  public String flag() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Optional<Fault> ofFlag(String flag) {
    return Arrays.stream(values()).filter(f -> f.flag().equals(flag) || f.name().equals(flag)).findFirst();
  }
}
