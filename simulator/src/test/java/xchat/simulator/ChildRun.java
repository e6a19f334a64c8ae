package xchat.simulator;

import xchat.simulator.world.RunResult;

/** Runs one small world in a fresh JVM and prints its line: the cross-process half of the replay test. */
public final class ChildRun {
  public static void main(String[] args) {
    RunResult result = Simulator.run(TestWorlds.small(Long.parseLong(args[0])));
    System.out.println(result.line());
    System.exit(0);
  }
}
