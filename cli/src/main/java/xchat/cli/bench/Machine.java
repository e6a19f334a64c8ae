package xchat.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where a bench ran, so a figure is never quoted without its machine. */
public final class Machine {
  private Machine() {}

  public static Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("cpu", cpuModel());
    out.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    out.put("max heap", Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
    out.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    out.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    out.put("load average", loadAverage());
    out.put("date", java.time.OffsetDateTime.now().withNano(0).toString());
    return out;
  }

  /** 1, 5 and 15 minutes at the start: a loaded machine explains low figures. */
  private static String loadAverage() {
    Path loadavg = Path.of("/proc/loadavg");
    try {
      if (Files.isReadable(loadavg)) {
        String[] fields = Files.readString(loadavg).strip().split("\\s+");
        return fields[0] + " " + fields[1] + " " + fields[2];
      }
    } catch (IOException e) {
      return "unknown (" + e.getClass().getSimpleName() + ")";
    }
    double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return load < 0 ? "unknown" : String.format(java.util.Locale.ROOT, "%.2f", load);
  }

  private static String cpuModel() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (Files.isReadable(cpuinfo)) {
      try {
        List<String> lines = Files.readAllLines(cpuinfo);
        for (String line : lines) {
          if (line.startsWith("model name")) {
            return line.substring(line.indexOf(':') + 1).strip();
          }
        }
      } catch (IOException e) {
        return "unknown (" + e.getClass().getSimpleName() + ")";
      }
    }
    return "unknown";
  }
}
