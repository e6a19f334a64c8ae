package xchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import xchat.cli.demo.Demo;

class DemoCommandTest {
  @Test
  void theDemoEndsWithEveryDeviceAgreeingOnEveryConversation() {
    long start = System.nanoTime();
    CliTest.Result result = CliTest.run("", "demo");
    double seconds = (System.nanoTime() - start) / 1e9;
    String output = result.out() + result.err();
    assertEquals(0, result.code(), output);
    List<String> lines = result.lines().stream().map(String::strip).toList();
    assertTrue(lines.contains("(demo uses a fast passphrase KDF; real accounts use scrypt)"), output);
    for (int step = 1; step <= 9; step++) {
      int n = step;
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("== " + n + ". ")), "heading " + n + "\n" + output);
    }
    for (String device : List.of("alice-laptop", "alice-phone", "bob-laptop")) {
      String gone = device + " +'" + Pattern.quote(Demo.OOPS) + "' is gone \\(3 messages left in friends\\)";
      assertTrue(lines.stream().anyMatch(l -> l.matches(gone)), device + "\n" + output);
    }
    assertTrue(lines.stream().anyMatch(l -> l.matches("friends +[0-9a-f]{8}\\.\\.\\. +([0-9a-f]{12} +){3}agree")), output);
    assertTrue(lines.stream().anyMatch(l -> l.matches("work +[0-9a-f]{8}\\.\\.\\. +([0-9a-f]{12} +){3}agree")), output);
    assertTrue(lines.contains("OK: all 3 devices agree on all 2 conversations."), output);
    assertTrue(seconds < 90, "the demo took " + seconds + " s");
  }
}
