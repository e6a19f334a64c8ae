package xchat.simulator.world;

import java.util.concurrent.Executor;

/**
 * One process of the simulated world: a device's engine or a relay, in one incarnation. Its tasks
 * and timers run only while it is alive; a crash kills it, and a restart is a new node.
 */
public final class Node {
  private final Sim sim;
  private final String name;
  private final Executor executor;
  private boolean alive = true;

  Node(Sim sim, String name) {
    this.sim = sim;
    this.name = name;
    this.executor = task -> sim.execute(this, task);
  }

  public String name() {
    return name;
  }

  /** Runs tasks on the simulation's one thread, in submission order, while the node lives. */
  public Executor executor() {
    return executor;
  }

  public boolean alive() {
    return alive;
  }

  /** A crash: nothing of this node runs again, queued or scheduled. */
  public void kill() {
    alive = false;
    sim.forget(this);
  }

  public Sim sim() {
    return sim;
  }

  @Override
  public String toString() {
    return name;
  }
}
