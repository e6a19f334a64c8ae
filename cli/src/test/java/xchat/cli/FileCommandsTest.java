package xchat.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xchat.relay.server.RelayConfig;
import xchat.relay.server.RelayServer;

/** send-file and get-file against a real relay that serves Blossom on its own port, on loopback. */
class FileCommandsTest {
  Path root;
  RelayServer relay;
  long seed;

  @BeforeEach
  void start() throws IOException {
    seed = new Random().nextLong();
    root = Files.createTempDirectory("xchat-cli-files-");
    relay = RelayServer.start(RelayConfig.ephemeral());
    System.setProperty(Home.PASSPHRASE_PROPERTY, "cli test passphrase");
  }

  @AfterEach
  void stop() throws IOException {
    System.clearProperty(Home.PASSPHRASE_PROPERTY);
    relay.stop().toCompletableFuture().join();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  CliTest.Result xchat(String... args) {
    return CliTest.run("", args);
  }

  String home(String name) {
    return root.resolve(name).toString();
  }

  static long filesUnder(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void aFileSentFromTheCliIsFetchedByTheRecipientWrittenWhereAskedAndDeletedEverywhere() throws IOException {
    String why = "seed " + seed;
    String blossom = relay.url().replace("ws://", "http://");
    List<String> alice = xchat("keygen").lines();
    List<String> bob = xchat("keygen").lines();
    assertEquals(0, xchat("--home", home("alice"), "init", "--nsec", alice.get(0)).code());
    assertEquals(0, xchat("--home", home("bob"), "init", "--nsec", bob.get(0)).code());
    assertEquals(0, xchat("--home", home("alice"), "circle", "add", "family", "--relay", relay.url()).code());
    assertEquals(0, xchat("--home", home("bob"), "circle", "add", "family", "--relay", relay.url()).code());

    byte[] bytes = new byte[700_000];
    new Random(seed).nextBytes(bytes);
    Path file = Files.write(root.resolve("notes.bin"), bytes);

    CliTest.Result noServers = xchat("--home", home("alice"), "send-file", "--circle", "family", "--to", bob.get(1),
        file.toString());
    assertEquals(1, noServers.code(), why + " " + noServers.err());
    assertTrue(noServers.err().contains("no file servers"), noServers.err());

    CliTest.Result set = xchat("--home", home("alice"), "circle", "files", "family", "--server", blossom);
    assertEquals(0, set.code(), set.err());
    assertEquals(blossom, set.out().strip(), set.out());

    CliTest.Result missing = xchat("--home", home("alice"), "send-file", "--circle", "family", "--to", bob.get(1),
        root.resolve("nope.bin").toString());
    assertEquals(2, missing.code(), missing.err());

    CliTest.Result sent = xchat("--home", home("alice"), "send-file", "--circle", "family", "--to", bob.get(1),
        "--mime", "application/x-test", file.toString());
    assertEquals(0, sent.code(), why + " " + sent.out() + sent.err());
    List<String> lines = sent.lines();
    assertTrue(lines.get(0).startsWith(blossom) && lines.get(0).endsWith(" UPLOADED"), sent.out());
    String id = lines.get(lines.size() - 1);
    assertTrue(id.matches("[0-9a-f]{64}"), sent.out());

    assertEquals(0, xchat("--home", home("bob"), "sync", "--circle", "family", "--timeout", "20s").code());
    CliTest.Result listed = xchat("--home", home("bob"), "messages", "--circle", "family", "--json");
    assertTrue(listed.out().contains("\"kind\":15") && listed.out().contains("\"mime\":\"application/x-test\""),
        listed.out());
    assertTrue(!listed.out().contains("decryption"), listed.out());

    Path out = root.resolve("received.bin");
    CliTest.Result got = xchat("--home", home("bob"), "get-file", "--circle", "family", id, "--out", out.toString());
    assertEquals(0, got.code(), why + " " + got.out() + got.err());
    assertTrue(got.out().startsWith("700000 bytes from " + blossom), got.out());
    assertArrayEquals(bytes, Files.readAllBytes(out), why);

    CliTest.Result exists = xchat("--home", home("bob"), "get-file", "--circle", "family", id, "--out", out.toString());
    assertEquals(2, exists.code(), exists.err());
    CliTest.Result again = xchat("--home", home("bob"), "get-file", "--circle", "family", id, "--out", out.toString(),
        "--force");
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("the local cache"), again.out());

    CliTest.Result deleted = xchat("--home", home("alice"), "delete", "--circle", "family", id);
    assertEquals(0, deleted.code(), why + " " + deleted.out() + deleted.err());
    assertTrue(deleted.lines().contains("file " + blossom + " DELETED") || deleted.lines().contains("file " + blossom + "/ DELETED"),
        deleted.out());
    CliTest.Result gone = xchat("--home", home("bob"), "sync", "--circle", "family", "--timeout", "20s");
    assertEquals(0, gone.code(), gone.err());
    assertEquals(0, filesUnder(root.resolve("bob/media/cache")), why);

    CliTest.Result unknown = xchat("--home", home("bob"), "get-file", "--circle", "family", "ab".repeat(32),
        "--out", root.resolve("x").toString());
    assertEquals(1, unknown.code(), unknown.err());
    assertTrue(unknown.err().contains("no message"), unknown.err());
  }
}
