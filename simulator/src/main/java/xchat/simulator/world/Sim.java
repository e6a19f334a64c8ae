package xchat.simulator.world;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xchat.engine.api.Waiter;

/**
 * The event loop of one simulated world: one thread, virtual time in milliseconds, a FIFO of
 * ready tasks and a queue of timers ordered by (due time, creation order). Time moves only when
 * no task is ready, and then jumps to the next timer. Nothing here reads the wall clock, so the
 * order of everything that runs is a function of the seed.
 *
 * <p>Every task must come from this thread. One that arrives from another (work the engine or the
 * relay ran outside its injected executor) is a determinism violation: it is recorded with its
 * stack ({@link #foreignTasks}), logged, and run at the next step so that the run can finish.
 *
 * <p>Control timers (the workload and the fault schedule) run only from {@link #runUntil}, never
 * from inside {@link #await}, so that an API call made by the workload cannot start another one.
 */
public final class Sim {
  private static final Map<String, Sim> REGISTRY = new ConcurrentHashMap<>();
  private static final AtomicLong IDS = new AtomicLong();
  private static final Logger LOG = LoggerFactory.getLogger(Sim.class);
  /** Foreign tasks kept with their stacks; the rest are only counted. */
  private static final int FOREIGN_KEPT = 10;

  /** A pending timer; cancelling it keeps it in the queue, where it is skipped. */
  public static final class Timer implements Comparable<Timer> {
    final long due;
    final long seq;
    final Node owner;
    final Runnable action;
    boolean cancelled;

    Timer(long due, long seq, Node owner, Runnable action) {
      this.due = due;
      this.seq = seq;
      this.owner = owner;
      this.action = action;
    }

    public boolean cancel() {
      boolean was = !cancelled;
      cancelled = true;
      return was;
    }

    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public int compareTo(Timer o) {
      return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
    }
  }

  private record Task(Node owner, Runnable action) {}

  private final String id = "sim-" + IDS.incrementAndGet();
  private final Thread thread = Thread.currentThread();
  private final ArrayDeque<Task> ready = new ArrayDeque<>();
  private final ArrayDeque<Task> foreign = new ArrayDeque<>();
  private final List<ForeignTask> foreignTasks = new ArrayList<>();
  private volatile long foreignSubmissions;
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final PriorityQueue<Timer> control = new PriorityQueue<>();
  private final Map<String, Node> nodes = new HashMap<>();
  private final long epochMillis;
  private long now;
  private long seq;
  private long tasksRun;
  private long timersFired;
  private Runnable beforeTimeAdvances = () -> {};

  /** @param epochMillis the wall-clock time that virtual time 0 stands for */
  public Sim(long epochMillis) {
    this.epochMillis = epochMillis;
    REGISTRY.put(id, this);
  }

  public String id() {
    return id;
  }

  static Sim lookup(String id) {
    Sim sim = REGISTRY.get(id);
    if (sim == null) {
      throw new IllegalStateException("no simulation " + id);
    }
    return sim;
  }

  /** Unregisters this world; its nodes' schedulers must not be created any more. */
  public void close() {
    REGISTRY.remove(id);
  }

  /** Virtual milliseconds since the start. */
  public long now() {
    return now;
  }

  /** The virtual wall clock: epoch plus elapsed virtual time. */
  public long wallMillis() {
    return epochMillis + now;
  }

  public long tasksRun() {
    return tasksRun;
  }

  public long timersFired() {
    return timersFired;
  }

  /** Tasks that arrived from another thread: 0 in a replayable run. */
  public long foreignSubmissions() {
    return foreignSubmissions;
  }

  /** The first foreign tasks, with where they came from. */
  public List<ForeignTask> foreignTasks() {
    synchronized (foreign) {
      return List.copyOf(foreignTasks);
    }
  }

  /** Called before virtual time moves on, e.g. to flush what happened at one instant. */
  public void beforeTimeAdvances(Runnable hook) {
    this.beforeTimeAdvances = hook;
  }

  public Node node(String name) {
    if (nodes.containsKey(name)) {
      throw new IllegalArgumentException("a node named " + name + " exists already");
    }
    Node node = new Node(this, name);
    nodes.put(name, node);
    return node;
  }

  Node nodeNamed(String name) {
    Node node = nodes.get(name);
    if (node == null) {
      throw new IllegalStateException("no node " + name + " in " + id);
    }
    return node;
  }

  void forget(Node node) {
    nodes.remove(node.name(), node);
  }

  void execute(Node owner, Runnable action) {
    if (Thread.currentThread() != thread) {
      foreignTask(new Task(owner, action));
      return;
    }
    ready.add(new Task(owner, action));
  }

  private void foreignTask(Task task) {
    String from = Thread.currentThread().getName();
    StringBuilder stack = new StringBuilder();
    StackTraceElement[] frames = Thread.currentThread().getStackTrace();
    // Frame 0 is getStackTrace, 1 this method: the stack starts where the task was submitted.
    for (int i = 2; i < frames.length; i++) {
      stack.append("\tat ").append(frames[i]).append('\n');
    }
    long count;
    synchronized (foreign) {
      count = ++foreignSubmissions;
      foreign.add(task);
      if (foreignTasks.size() < FOREIGN_KEPT) {
        foreignTasks.add(new ForeignTask(now, from, stack.toString()));
      }
    }
    if (count == 1) {
      LOG.warn("determinism violated in {}: a task for {} arrived from thread {}; the run may not replay\n{}", id,
          task.owner() == null ? "the world" : task.owner().name(), from, stack);
    }
  }

  /** Foreign tasks run at the next step: the run is already unreplayable, but it can finish. */
  private void takeForeign() {
    if (foreignSubmissions > 0) {
      synchronized (foreign) {
        ready.addAll(foreign);
        foreign.clear();
      }
    }
  }

  /** Runs {@code action} after {@code delayMillis} of virtual time, unless {@code owner} dies. */
  public Timer schedule(Node owner, long delayMillis, Runnable action) {
    Timer timer = new Timer(now + Math.max(0, delayMillis), seq++, owner, action);
    timers.add(timer);
    return timer;
  }

  /** A workload or fault action at an absolute virtual time. */
  public Timer scheduleControl(long atMillis, Runnable action) {
    Timer timer = new Timer(Math.max(now, atMillis), seq++, null, action);
    control.add(timer);
    return timer;
  }

  /** One task, or else the next timer; false when nothing is left. */
  private boolean step(boolean withControl) {
    Task task = pollReady();
    if (task != null) {
      if (task.owner() == null || task.owner().alive()) {
        tasksRun++;
        task.action().run();
      }
      return true;
    }
    Timer next = peekLive(timers);
    Timer nextControl = withControl ? peekLive(control) : null;
    Timer chosen;
    if (next == null && nextControl == null) {
      return false;
    } else if (next == null) {
      chosen = control.poll();
    } else if (nextControl == null || next.compareTo(nextControl) <= 0) {
      chosen = timers.poll();
    } else {
      chosen = control.poll();
    }
    if (chosen.due > now) {
      beforeTimeAdvances.run();
      now = chosen.due;
    }
    timersFired++;
    chosen.action.run();
    return true;
  }

  private Task pollReady() {
    takeForeign();
    return ready.poll();
  }

  private boolean hasReady() {
    takeForeign();
    return !ready.isEmpty();
  }

  private static Timer peekLive(PriorityQueue<Timer> queue) {
    Timer head = queue.peek();
    while (head != null && (head.cancelled || (head.owner != null && !head.owner.alive()))) {
      queue.poll();
      head = queue.peek();
    }
    return head;
  }

  /** Runs everything due up to {@code atMillis}, then sets the clock there. */
  public void runUntil(long atMillis) {
    while (true) {
      if (hasReady()) {
        step(true);
        continue;
      }
      Timer next = peekLive(timers);
      Timer nextControl = peekLive(control);
      long due = Math.min(next == null ? Long.MAX_VALUE : next.due, nextControl == null ? Long.MAX_VALUE : nextControl.due);
      if (due > atMillis) {
        break;
      }
      step(true);
    }
    if (atMillis > now) {
      beforeTimeAdvances.run();
      now = atMillis;
    }
  }

  /**
   * Runs the world until {@code stage} completes or {@code timeout} of virtual time passes. This is
   * how a blocking engine call waits on the simulation's only thread.
   */
  public <T> T await(CompletionStage<T> stage, Duration timeout) throws ExecutionException, TimeoutException {
    CompletableFuture<T> future = stage.toCompletableFuture();
    long deadline = now + timeout.toMillis();
    while (!future.isDone()) {
      Timer next = hasReady() ? null : peekLive(timers);
      if (hasReady() || (next != null && next.due <= deadline)) {
        step(false);
      } else {
        if (deadline > now) {
          beforeTimeAdvances.run();
          now = deadline;
        }
        throw new TimeoutException("no answer within " + timeout.toMillis() + " virtual ms");
      }
    }
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Runs {@code body} with a Scala block context that, before a Pekko {@code Await} blocks the
   * simulation's thread, runs every ready task: what is awaited (e.g. the stream materializer's
   * guardian, started inside {@code ActorSystem.create}) needs those tasks, and only this thread
   * runs them.
   */
  public <T> T blockingRunsTasks(java.util.function.Supplier<T> body) {
    scala.concurrent.BlockContext drain = new scala.concurrent.BlockContext() {
      @Override
      public <R> R blockOn(scala.Function0<R> thunk, scala.concurrent.CanAwait permission) {
        while (hasReady()) {
          step(false);
        }
        return thunk.apply();
      }
    };
    return scala.concurrent.BlockContext$.MODULE$.withBlockContext(drain, body::get);
  }

  /** The engine's {@link Waiter}: waits by running the simulation. */
  public Waiter waiter() {
    return new Waiter() {
      @Override
      public <T> T await(CompletionStage<T> stage, Duration timeout) throws ExecutionException, TimeoutException {
        return Sim.this.await(stage, timeout);
      }
    };
  }
}
