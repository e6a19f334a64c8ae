package xchat.simulator;

import xchat.simulator.world.RunResult;
import xchat.simulator.world.World;
import xchat.simulator.world.WorldConfig;

/** Runs worlds: the entry point for the command line and the tests. */
public final class Simulator {
  private Simulator() {}

  /** Builds, runs and checks one world, then deletes its files. */
  public static RunResult run(WorldConfig config) {
    try (World world = new World(config)) {
      return world.sim().blockingRunsTasks(world::run);
    }
  }
}
