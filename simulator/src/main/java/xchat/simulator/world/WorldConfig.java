package xchat.simulator.world;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import xchat.engine.api.InjectedBug;
import xchat.simulator.faults.Faults;
import xchat.simulator.net.LatencyModel;

/**
 * The shape of one simulated world and its run.
 *
 * @param devices devices at the start, spread over accounts of {@code devicesPerAccount}
 * @param relays relays, split evenly over the circles (each circle its own relays)
 * @param circlesPerAccount how many circles each account is in (consecutive ones); 0 for all
 * @param chaos how long the workload and the faults run, in virtual time
 * @param settle how long the world runs after healing before the final sync and check
 * @param sendsPerAccount messages each account sends during the chaos, on average
 * @param scanAtRest read every device's files for plaintext at the end (guarantee 7)
 * @param traceCapacity trace records kept in memory for reports
 * @param root where the stores go; empty for a temporary directory (in /dev/shm when there is one)
 */
public record WorldConfig(
    long seed,
    int devices,
    int devicesPerAccount,
    int relays,
    int circles,
    int circlesPerAccount,
    Duration chaos,
    Duration settle,
    double sendsPerAccount,
    Faults faults,
    LatencyModel latency,
    Set<InjectedBug> bugs,
    boolean scanAtRest,
    int traceCapacity,
    Optional<Path> root) {

  public WorldConfig {
    if (devices < 2 || devicesPerAccount < 1 || relays < 1 || circles < 1 || circles > relays) {
      throw new IllegalArgumentException("at least 2 devices, 1 relay, and no more circles than relays");
    }
    if (circlesPerAccount < 0 || circlesPerAccount > circles) {
      throw new IllegalArgumentException("circles per account is 0 (all) to the number of circles");
    }
    bugs = bugs.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(bugs));
  }

  public static WorldConfig defaults(long seed) {
    return new WorldConfig(seed, 6, 2, 6, 2, 0, Duration.ofSeconds(60), Duration.ofSeconds(60), 6,
        Faults.all(), LatencyModel.DEFAULT, Set.of(), true, 50_000, Optional.empty());
  }

  public WorldConfig withCirclesPerAccount(int value) {
    return new WorldConfig(seed, devices, devicesPerAccount, relays, circles, value, chaos, settle, sendsPerAccount,
        faults, latency, bugs, scanAtRest, traceCapacity, root);
  }

  /** The circles account {@code account} is in: all, or {@link #circlesPerAccount} consecutive ones. */
  public java.util.List<String> circlesOf(int account) {
    java.util.List<String> out = new java.util.ArrayList<>();
    int count = circlesPerAccount == 0 ? circles : circlesPerAccount;
    for (int i = 0; i < count; i++) {
      out.add("c" + ((account + i) % circles));
    }
    out.sort(null);
    return out;
  }

  public int accounts() {
    return Math.max(2, (devices + devicesPerAccount - 1) / devicesPerAccount);
  }

  public WorldConfig withSeed(long value) {
    return new WorldConfig(value, devices, devicesPerAccount, relays, circles, circlesPerAccount, chaos, settle, sendsPerAccount, faults,
        latency, bugs, scanAtRest, traceCapacity, root);
  }

  public WorldConfig withSize(int deviceCount, int relayCount, int circleCount) {
    return new WorldConfig(seed, deviceCount, devicesPerAccount, relayCount, circleCount, circlesPerAccount, chaos, settle,
        sendsPerAccount, faults, latency, bugs, scanAtRest, traceCapacity, root);
  }

  public WorldConfig withFaults(Faults value) {
    return new WorldConfig(seed, devices, devicesPerAccount, relays, circles, circlesPerAccount, chaos, settle, sendsPerAccount, value,
        latency, bugs, scanAtRest, traceCapacity, root);
  }

  public WorldConfig withLatency(LatencyModel value) {
    return new WorldConfig(seed, devices, devicesPerAccount, relays, circles, circlesPerAccount, chaos, settle, sendsPerAccount, faults,
        value, bugs, scanAtRest, traceCapacity, root);
  }

  public WorldConfig withBugs(Set<InjectedBug> value) {
    return new WorldConfig(seed, devices, devicesPerAccount, relays, circles, circlesPerAccount, chaos, settle, sendsPerAccount, faults,
        latency, value, scanAtRest, traceCapacity, root);
  }

  public WorldConfig withTiming(Duration chaosTime, Duration settleTime, double sends) {
    return new WorldConfig(seed, devices, devicesPerAccount, relays, circles, circlesPerAccount, chaosTime, settleTime, sends, faults,
        latency, bugs, scanAtRest, traceCapacity, root);
  }

  public WorldConfig withScanAtRest(boolean value) {
    return new WorldConfig(seed, devices, devicesPerAccount, relays, circles, circlesPerAccount, chaos, settle, sendsPerAccount, faults,
        latency, bugs, value, traceCapacity, root);
  }

  public WorldConfig withTraceCapacity(int value) {
    return new WorldConfig(seed, devices, devicesPerAccount, relays, circles, circlesPerAccount, chaos, settle, sendsPerAccount, faults,
        latency, bugs, scanAtRest, value, root);
  }

  public WorldConfig withRoot(Path directory) {
    return new WorldConfig(seed, devices, devicesPerAccount, relays, circles, circlesPerAccount, chaos, settle, sendsPerAccount, faults,
        latency, bugs, scanAtRest, traceCapacity, Optional.of(directory));
  }

  public WorldConfig withDevicesPerAccount(int value) {
    return new WorldConfig(seed, devices, value, relays, circles, circlesPerAccount, chaos, settle, sendsPerAccount, faults, latency, bugs,
        scanAtRest, traceCapacity, root);
  }
}
