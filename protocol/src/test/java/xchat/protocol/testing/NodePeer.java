package xchat.protocol.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs a node script from the repository's interop/ folder: one JSON request in, one JSON reply out. */
public final class NodePeer {
  public static final ObjectMapper JSON = new ObjectMapper();

  private NodePeer() {}

  public static Path interopDir() {
    Path dir = Path.of("..", "interop").toAbsolutePath().normalize();
    if (!Files.isDirectory(dir.resolve("node_modules/nostr-tools"))) {
      throw new AssertionError("nostr-tools is not installed in " + dir
          + ": run 'npm install' there (Maven does this before the tests)");
    }
    return dir;
  }

  public static ObjectNode request(String op) {
    return JSON.createObjectNode().put("op", op);
  }

  public static JsonNode call(String script, JsonNode request) {
    try {
      Process process = new ProcessBuilder("node", script)
          .directory(interopDir().toFile())
          .redirectError(ProcessBuilder.Redirect.PIPE)
          .start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(JSON.writeValueAsBytes(request));
      }
      byte[] out = process.getInputStream().readAllBytes();
      byte[] err = process.getErrorStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("node " + script + " timed out");
      }
      if (process.exitValue() != 0) {
        throw new AssertionError("node " + script + " failed: " + new String(err, StandardCharsets.UTF_8));
      }
      return JSON.readTree(out);
    } catch (IOException e) {
      throw new AssertionError("cannot run node", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
