package xchat.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of this process's threads, read from Linux's per-thread accounting and grouped by what
 * the thread does: where a bench's CPU went, JIT and GC included (the JVM's own compilation time
 * is wall time, which swells when the cores are busy). Empty where /proc is missing.
 */
record ThreadCpu(Map<String, Group> byThread) {
  static final String ENGINE = "engine";
  static final String RELAY = "relay";
  static final String JIT = "JIT compilers";
  static final String GC = "GC";
  static final String ROCKSDB = "RocksDB background";
  static final String OTHER = "other";
  static final List<String> GROUPS = List.of(ENGINE, RELAY, JIT, GC, ROCKSDB, OTHER);

  private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux

  /** One thread's group and its CPU so far. */
  record Group(String name, long nanos) {}

  ThreadCpu {
    byThread = Map.copyOf(byThread);
  }

  static ThreadCpu now() {
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return new ThreadCpu(Map.of());
    }
    Map<String, Group> threads = new HashMap<>();
    try (DirectoryStream<Path> all = Files.newDirectoryStream(tasks)) {
      for (Path thread : all) {
        try {
          String name = Files.readString(thread.resolve("comm")).strip();
          String stat = Files.readString(thread.resolve("stat"));
          // Fields after the parenthesised name: state is 3rd, utime 14th, stime 15th.
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          threads.put(thread.getFileName().toString(), new Group(group(name), ticks * NANOS_PER_TICK));
        } catch (NoSuchFileException ended) {
          // a thread that ended meanwhile: its time is gone with it
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the threads' CPU time from /proc", e);
    }
    return new ThreadCpu(threads);
  }

  /**
   * Nanoseconds per group since {@code earlier}, in {@link #GROUPS} order; a thread that ended in
   * between is not counted.
   */
  Map<String, Long> since(ThreadCpu earlier) {
    Map<String, Long> spent = new LinkedHashMap<>();
    GROUPS.forEach(g -> spent.put(g, 0L));
    byThread.forEach((tid, now) -> {
      Group before = earlier.byThread.get(tid);
      long from = before == null ? 0 : before.nanos();
      spent.merge(now.name(), now.nanos() - from, Long::sum);
    });
    return spent;
  }

  /** Linux truncates thread names to 15 characters; these prefixes survive it. */
  static String group(String threadName) {
    if (threadName.startsWith("xchat-relay") || threadName.startsWith("relay-")) {
      return RELAY;
    }
    if (threadName.startsWith("xchat-") || threadName.startsWith("HttpClient")) {
      return ENGINE;
    }
    if (threadName.contains("CompilerThre")) {
      return JIT;
    }
    if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ")) {
      return GC;
    }
    if (threadName.startsWith("rocksdb:")) {
      return ROCKSDB;
    }
    return OTHER;
  }
}
