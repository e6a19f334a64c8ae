package xchat.simulator.world;

import xchat.simulator.faults.Fault;
import xchat.simulator.faults.Faults;

/**
 * The fault schedule of one run, drawn from the seed before anything runs: partitions of device-
 * relay links, relay crashes (some losing their data) and device crashes, each a Poisson process
 * at its rate during the chaos. Every fault ends by itself, and at the latest when the world heals.
 */
final class Chaos {
  private final World world;
  private final Drbg random;
  private final Faults faults;
  private final long chaos;

  Chaos(World world) {
    this.world = world;
    this.random = world.random;
    this.faults = world.config.faults();
    this.chaos = world.config.chaos().toMillis();
  }

  void schedule() {
    for (RelayHost relay : world.relays) {
      for (long at : arrivals(faults.rate(Fault.RELAY_CRASH))) {
        boolean loseData = !relay.nature().anchor() && random.chance(faults.rate(Fault.RELAY_DATA_LOSS));
        long down = 1_000 + random.nextInt(19_000);
        world.sim.scheduleControl(at, () -> {
          if (!world.healed) {
            relay.crash(loseData);
            world.sim.scheduleControl(world.sim.now() + down, relay::restart);
          }
        });
      }
    }
    for (Device device : world.devices) {
      scheduleDevice(device, 0);
    }
  }

  /** Partitions and crashes for one device (a late one too, from when it joins). */
  void scheduleDevice(Device device, long from) {
    for (RelayHost relay : world.relays) {
      for (long at : arrivals(faults.rate(Fault.PARTITION))) {
        if (at < from) {
          continue;
        }
        boolean blackhole = random.chance(0.5);
        long length = 2_000 + random.nextInt(28_000);
        world.sim.scheduleControl(at, () -> {
          if (!world.healed) {
            world.network.partition(device.name(), relay.url(), blackhole);
            world.sim.scheduleControl(world.sim.now() + length, () -> world.network.heal(device.name(), relay.url()));
          }
        });
      }
    }
    for (long at : arrivals(faults.rate(Fault.DEVICE_CRASH))) {
      if (at < from) {
        continue;
      }
      long down = 1_000 + random.nextInt(14_000);
      world.sim.scheduleControl(at, () -> {
        if (!world.healed && device.up()) {
          world.crash(device);
          world.sim.scheduleControl(world.sim.now() + down, () -> world.restart(device));
        }
      });
    }
  }

  /** Times of a Poisson process at {@code perMinute} over the chaos window. */
  private long[] arrivals(double perMinute) {
    if (perMinute <= 0) {
      return new long[0];
    }
    double meanGap = 60_000 / perMinute;
    java.util.List<Long> out = new java.util.ArrayList<>();
    double t = -Math.log(1 - random.nextDouble()) * meanGap;
    while (t < chaos) {
      out.add((long) t);
      t += -Math.log(1 - random.nextDouble()) * meanGap;
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }
}
