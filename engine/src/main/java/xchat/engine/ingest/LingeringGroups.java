package xchat.engine.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;

/**
 * Groups of at most {@code max} elements for a commit stage. A group that holds an urgent element
 * (someone waits for it: a live message, a local send) goes out as soon as downstream asks; any
 * other group may linger up to {@code window} from its first element to collect more, which shares
 * a commit among many wraps during a catch-up. A zero window never lingers, so groups then grow
 * only while downstream is busy.
 */
final class LingeringGroups<T> extends GraphStage<FlowShape<T, List<T>>> {
  private static final String LINGER = "linger";

  private final int max;
  private final Duration window;
  private final Predicate<T> urgent;
  private final Inlet<T> in = Inlet.create("LingeringGroups.in");
  private final Outlet<List<T>> out = Outlet.create("LingeringGroups.out");
  private final FlowShape<T, List<T>> shape = FlowShape.of(in, out);

  LingeringGroups(int max, Duration window, Predicate<T> urgent) {
    Objects.requireNonNull(window, "window");
    if (max < 1 || window.isNegative()) {
      throw new IllegalArgumentException("a group holds at least one element and the window is not negative");
    }
    this.max = max;
    this.window = window;
    this.urgent = Objects.requireNonNull(urgent, "urgent");
  }

  @Override
  public FlowShape<T, List<T>> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new TimerGraphStageLogic(shape) {
      private List<T> group = new ArrayList<>();
      private boolean due;

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            T element = grab(in);
            group.add(element);
            if (urgent.test(element) || window.isZero()) {
              due = true;
            } else if (group.size() == 1) {
              scheduleOnce(LINGER, window);
            }
            if (group.size() >= max) {
              due = true;
            }
            emitIfDue();
            if (group.size() < max && !hasBeenPulled(in)) {
              pull(in);
            }
          }

          @Override
          public void onUpstreamFinish() {
            if (group.isEmpty()) {
              completeStage();
            } else {
              List<T> last = group;
              group = new ArrayList<>();
              cancelTimer(LINGER);
              emit(out, last, () -> completeStage());
            }
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            emitIfDue();
            if (group.size() < max && !hasBeenPulled(in) && !isClosed(in)) {
              pull(in);
            }
          }
        });
      }

      @Override
      public void onTimer(Object key) {
        due = true;
        emitIfDue();
      }

      private void emitIfDue() {
        if (due && !group.isEmpty() && isAvailable(out)) {
          push(out, group);
          group = new ArrayList<>();
          due = false;
          cancelTimer(LINGER);
          if (!hasBeenPulled(in) && !isClosed(in)) {
            pull(in);
          }
        }
      }
    };
  }
}
