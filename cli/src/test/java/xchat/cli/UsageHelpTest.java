package xchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class UsageHelpTest {
  @Test
  void everyCommandAnswersHelpWithExamples() {
    List<List<String>> paths = new ArrayList<>();
    collect(new CommandLine(new Main()), new ArrayList<>(), paths);
    assertTrue(paths.size() > 15, "the tree was walked: " + paths);
    // picocli reports help text it cannot format (a bare '%') on System.err.
    java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
    java.io.PrintStream stderr = System.err;
    System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      helpOf(paths);
    } finally {
      System.setErr(stderr);
    }
    assertFalse(warnings.toString(java.nio.charset.StandardCharsets.UTF_8).contains("picocli WARN"), warnings.toString());
  }

  private static void helpOf(List<List<String>> paths) {
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      CliTest.Result result = CliTest.run("", args.toArray(String[]::new));
      assertEquals(0, result.code(), path + ": " + result.err());
      String help = result.out();
      assertTrue(help.contains("\nExamples:\n  "), path + " has no Examples footer:\n" + help);
      String examples = help.substring(help.indexOf("\nExamples:\n"));
      String name = path.isEmpty() ? "./xchat" : path.get(path.size() - 1);
      assertTrue(examples.contains("./xchat") && examples.contains(name), path + "'s examples use it:\n" + examples);
    }
  }

  @Test
  void theTopLevelHelpListsTheDemoAfterTheEngineAndRelayCommands() {
    String help = CliTest.run("", "--help").out();
    assertTrue(help.indexOf("  demo ") > help.indexOf("  relay "), help);
    assertTrue(help.indexOf("  demo ") > help.indexOf("  watch "), help);
  }

  private static void collect(CommandLine line, List<String> path, List<List<String>> out) {
    out.add(List.copyOf(path));
    line.getSubcommands().forEach((name, sub) -> {
      if (name.equals(sub.getCommandName())) {
        List<String> deeper = new ArrayList<>(path);
        deeper.add(name);
        collect(sub, deeper, out);
      }
    });
  }
}
