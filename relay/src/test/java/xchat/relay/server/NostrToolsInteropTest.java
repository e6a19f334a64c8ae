package xchat.relay.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import xchat.protocol.event.EventJson;

/**
 * nostr-tools as an outside client: publish, subscribe with each filter field, live events,
 * NIP-09 deletion, a NIP-59 wrap behind NIP-42 AUTH, and a NIP-77 sync. The script reports
 * expected and actual values; this test compares them.
 */
class NostrToolsInteropTest {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static final Path INTEROP = ROOT.resolve("interop");
  private static final Path SCRIPT =
      ROOT.resolve("relay/src/test/node/nostr-tools-client.mjs");

  @Test
  void nostrToolsPublishesSubscribesDeletesAuthenticatesAndSyncs() throws Exception {
    assertTrue(Files.isDirectory(INTEROP.resolve("node_modules/nostr-tools")),
        "nostr-tools is installed in " + INTEROP + " (mvn runs npm install before the tests)");
    RelayServer relay = RelayServer.start(RelayConfig.ephemeral());
    try {
      List<String> lines = run(relay.url());
      int checks = 0;
      boolean done = false;
      for (String line : lines) {
        List<String> fields = strings(line);
        if (fields.get(0).equals("check")) {
          assertEquals(fields.get(2), fields.get(3), "nostr-tools check: " + fields.get(1));
          checks++;
        } else if (fields.get(0).equals("done")) {
          done = true;
        }
      }
      assertTrue(done, "the script ran to the end: " + lines);
      assertTrue(checks >= 25, "only " + checks + " checks ran");
    } finally {
      relay.stop().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }
  }

  private static List<String> run(String url) throws IOException, InterruptedException {
    Path output = Files.createTempFile("nostr-tools", ".out");
    try {
      Process node = new ProcessBuilder("node", SCRIPT.toString(), url)
          .directory(INTEROP.toFile())
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .start();
      if (!node.waitFor(90, TimeUnit.SECONDS)) {
        node.destroyForcibly();
        fail("node did not finish within 90 s: " + Files.readString(output));
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      assertEquals(0, node.exitValue(), "node failed:\n" + text);
      List<String> lines = new ArrayList<>();
      for (String line : text.split("\n")) {
        if (line.startsWith("[")) {
          lines.add(line);
        }
      }
      return lines;
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /** A JSON array of strings and numbers, each as text. */
  private static List<String> strings(String line) throws IOException {
    List<String> out = new ArrayList<>();
    try (JsonParser parser = EventJson.FACTORY.createParser(line)) {
      parser.nextToken();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        out.add(parser.getText());
      }
    }
    return out;
  }
}
