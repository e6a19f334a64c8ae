package xchat.simulator.report;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import xchat.protocol.hex.Hex;

/**
 * The ordered record of a run: frames delivered and lost, connections, faults, workload actions,
 * what each relay stored and what each device's engine reported. Every record feeds a SHA-256
 * digest, the trace hash, so two runs of one seed can be compared by one line. The most recent
 * records are kept for failure reports and the HTML timeline.
 *
 * <p>Engine events are buffered per virtual instant and hashed in sorted order: an engine may
 * publish several events of one commit in an order that follows its store's keyed hashes, which
 * differ per run (see simulator/README.md, "What determinism covers").
 */
public final class Trace {

  public enum Kind {
    FRAME, LOST, DUPLICATED, CONNECT, CONNECT_FAILED, DISCONNECT, FAULT, ACTION, STORED, ENGINE, CHECK
  }

  /**
   * @param node where it happened (a device or relay name)
   * @param peer the other end, if any
   * @param refs ids it involves (event ids, rumor ids), for failure traces
   */
  public record Event(long at, Kind kind, String node, String peer, String detail, List<String> refs) {
    @Override
    public String toString() {
      return String.format("%9d ms %-14s %-12s %-12s %s", at, kind, node, peer == null ? "" : peer, detail);
    }
  }

  private static final java.io.PrintStream DUMP = dump();

  private static java.io.PrintStream dump() {
    String path = System.getProperty("xchat.sim.dump");
    try {
      return path == null ? null : new java.io.PrintStream(new java.io.FileOutputStream(path), true, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private final MessageDigest digest;
  private final ArrayDeque<Event> recent = new ArrayDeque<>();
  private final int capacity;
  private final List<Event> instant = new ArrayList<>();
  private final List<String> instantText = new ArrayList<>();
  private long count;

  /** @param capacity how many recent records to keep in memory */
  public Trace(int capacity) {
    this.capacity = capacity;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Records and hashes {@code hashed} (the full content, e.g. a whole frame). */
  public void record(long at, Kind kind, String node, String peer, String detail, String hashed, String... refs) {
    feed(at + "|" + kind + "|" + node + "|" + peer + "|" + hashed);
    keep(new Event(at, kind, node, peer, detail, List.of(refs)));
  }

  /** An engine event: hashed at the end of its virtual instant, sorted with the instant's others. */
  public void engineEvent(long at, String node, String detail, String... refs) {
    instant.add(new Event(at, Kind.ENGINE, node, null, detail, List.of(refs)));
    instantText.add(at + "|" + node + "|" + detail);
  }

  /** Hashes the instant's engine events in sorted order; called before time moves on. */
  public void endInstant() {
    if (instant.isEmpty()) {
      return;
    }
    List<String> sorted = new ArrayList<>(instantText);
    sorted.sort(Comparator.naturalOrder());
    sorted.forEach(this::feed);
    instant.forEach(this::keep);
    instant.clear();
    instantText.clear();
  }

  private void feed(String text) {
    if (DUMP != null) {
      DUMP.println(text);
    }
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) '\n');
    count++;
  }

  private void keep(Event event) {
    if (capacity <= 0) {
      return;
    }
    if (recent.size() == capacity) {
      recent.poll();
    }
    recent.add(event);
  }

  public long count() {
    return count;
  }

  /** The hash of everything recorded so far. */
  public String hash() {
    endInstant();
    try {
      return Hex.encode(((MessageDigest) digest.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digests are cloneable", e);
    }
  }

  public List<Event> events() {
    return List.copyOf(recent);
  }

  /** The last {@code limit} kept records that involve any of {@code refs} or happen on {@code nodes}. */
  public List<Event> involving(List<String> refs, List<String> nodes, int limit) {
    ArrayDeque<Event> out = new ArrayDeque<>();
    for (Event event : recent) {
      boolean hit = event.refs().stream().anyMatch(refs::contains)
          || (!nodes.isEmpty() && refs.isEmpty() && nodes.contains(event.node()));
      if (hit) {
        if (out.size() == limit) {
          out.poll();
        }
        out.add(event);
      }
    }
    return List.copyOf(out);
  }
}
