package xchat.persistence.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import xchat.persistence.SyncMode;

/**
 * CPU per record of the append shapes of {@link StoreBench}, outside JMH: the caller thread's CPU
 * (what the commit path costs) and the whole process's (flushes and compactions included), for
 * each shape on a fresh store after a warmup. Firmer than wall throughput on a shared machine.
 *
 * <p>Run: {@code java -cp ... xchat.persistence.bench.AppendCpu [warmupSeconds] [measureSeconds]
 * [GROUP_COMMIT|PER_BATCH] [shape...]}, shapes {@code plain}, {@code messages}, {@code wraps}.
 */
public final class AppendCpu {
  private AppendCpu() {}

  public static void main(String[] args) throws Exception {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int measure = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    SyncMode mode = args.length > 2 ? SyncMode.valueOf(args[2]) : SyncMode.GROUP_COMMIT;
    String[] shapes = args.length > 3 ? java.util.Arrays.copyOfRange(args, 3, args.length) : new String[] {"plain", "messages", "wraps"};
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    StoreBench bench = new StoreBench();
    for (String shape : shapes) {
      StoreBench.AppendState state = new StoreBench.AppendState();
      state.mode = mode;
      state.setUp();
      try {
        run(bench, state, shape, warmup * 1_000_000_000L);
        long records = 0;
        long cpu0 = threads.getCurrentThreadCpuTime();
        long proc0 = os.getProcessCpuTime();
        long[] io0 = io();
        long wall0 = System.nanoTime();
        records = run(bench, state, shape, measure * 1_000_000_000L);
        long wall = System.nanoTime() - wall0;
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        long proc = os.getProcessCpuTime() - proc0;
        long[] io1 = io();
        System.out.printf(Locale.ROOT, "%-9s %s thread %.2f us/rec  process %.2f us/rec  wall %.0f rec/s  written %.0f B/rec  read %.0f B/rec  (%d records, load %.2f)%n",
            shape, mode, cpu / 1e3 / records, proc / 1e3 / records, records / (wall / 1e9), (io1[1] - io0[1]) / (double) records, (io1[0] - io0[0]) / (double) records, records, os.getSystemLoadAverage());
      } finally {
        state.tearDown();
      }
    }
  }

  /** rchar and wchar of this process: every byte read or written through a system call. */
  private static long[] io() throws java.io.IOException {
    long[] out = new long[2];
    for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/io"))) {
      if (line.startsWith("rchar:")) {
        out[0] = Long.parseLong(line.substring(6).trim());
      } else if (line.startsWith("wchar:")) {
        out[1] = Long.parseLong(line.substring(6).trim());
      }
    }
    return out;
  }

  private static long run(StoreBench bench, StoreBench.AppendState state, String shape, long nanos) throws Exception {
    long end = System.nanoTime() + nanos;
    long records = 0;
    while (System.nanoTime() < end) {
      switch (shape) {
        case "plain" -> bench.plainPuts(state);
        case "messages" -> bench.appendMessages(state);
        case "wraps" -> bench.appendWithWrapIndexes(state);
        default -> throw new IllegalArgumentException(shape);
      }
      records += StoreBench.BATCH;
    }
    return records;
  }
}
