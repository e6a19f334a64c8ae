package xchat.simulator.world;

/**
 * A task handed to the simulation from a thread other than its own: something in the engine or
 * the relay ran work outside the injected executor (e.g. on the common fork-join pool), so where
 * the task lands in the queue depends on thread timing and the run may not replay.
 *
 * @param at virtual ms when it arrived
 * @param thread the thread that submitted it
 * @param stack where it was submitted from
 */
public record ForeignTask(long at, String thread, String stack) {
  @Override
  public String toString() {
    return "task from thread " + thread + " at " + at + " ms\n" + stack;
  }
}
