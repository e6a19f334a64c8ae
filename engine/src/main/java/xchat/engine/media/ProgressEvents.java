package xchat.engine.media;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import xchat.engine.api.EngineEvent;
import xchat.engine.runtime.EventBus;

/**
 * Turns per-chunk progress into {@link EngineEvent.MediaProgress}, at most one per percent per
 * phase and server, so a 1 GB transfer sends a few hundred events rather than tens of thousands.
 */
final class ProgressEvents implements MediaProgress {
  private final EventBus bus;
  private final String circle;
  private final String transfer;
  private final Map<String, Long> lastPercent = new ConcurrentHashMap<>();

  ProgressEvents(EventBus bus, String circle, String transfer) {
    this.bus = bus;
    this.circle = circle;
    this.transfer = transfer;
  }

  @Override
  public void onProgress(Update update) {
    String key = update.phase() + " " + update.server().map(Object::toString).orElse("");
    long percent = update.total() > 0 ? Math.min(100, update.done() * 100 / update.total()) : update.done() >> 20;
    Long previous = lastPercent.put(key, percent);
    if (previous == null || percent > previous) {
      bus.publish(new EngineEvent.MediaProgress(circle, transfer, update.phase().name(),
          update.server().map(Object::toString), update.done(), update.total()));
    }
  }
}
