package xchat.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import xchat.simulator.world.RunResult;
import xchat.simulator.world.WorldConfig;

/**
 * Runs one small world in a fresh JVM and prints its line, then how many common-pool workers
 * the JVM started: the cross-process half of the replay tests. Arguments: the seed, and
 * optionally the virtual seconds of chaos and of settling (default: {@link TestWorlds#small}).
 */
public final class ChildRun {
  public static void main(String[] args) {
    WorldConfig config = TestWorlds.small(Long.parseLong(args[0]));
    if (args.length > 1) {
      Duration seconds = Duration.ofSeconds(Long.parseLong(args[1]));
      config = config.withTiming(seconds, seconds, 5);
    }
    RunResult result = Simulator.run(config);
    System.out.println(result.line());
    result.foreignTasks().forEach(System.out::println);
    System.out.println("common-pool workers " + CommonPoolWatch.workersStarted());
    System.exit(0);
  }

  /** Runs this in a fresh JVM with {@code jvmOptions}; returns everything it printed. */
  static String launch(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ChildRun.class.getName()));
    command.addAll(List.of(args));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!child.waitFor(5, TimeUnit.MINUTES)) {
      child.destroyForcibly();
      throw new IllegalStateException("the child run did not finish: " + output);
    }
    return output;
  }

  /** The run's line in a child's output (or the whole output, to show what went wrong). */
  static String line(String output) {
    return output.lines().filter(l -> l.startsWith("seed ")).findFirst().orElse(output);
  }
}
