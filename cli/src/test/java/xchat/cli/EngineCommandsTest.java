package xchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xchat.relay.server.RelayConfig;
import xchat.relay.server.RelayServer;

/** The engine commands against a real relay on loopback, each run as a separate "process" would. */
class EngineCommandsTest {
  Path root;
  RelayServer relay;

  @BeforeEach
  void start() throws IOException {
    root = Files.createTempDirectory("xchat-cli-");
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

  @Test
  void twoDevicesOfOneAccountAndAFriendSendSyncListAndDelete() {
    List<String> alice = xchat("keygen").lines();
    List<String> bob = xchat("keygen").lines();
    assertEquals(0, xchat("--home", home("laptop"), "init", "--nsec", alice.get(0)).code());
    assertEquals(0, xchat("--home", home("phone"), "init", "--nsec", alice.get(0)).code());
    CliTest.Result bobInit = xchat("--home", home("bob"), "init", "--nsec", bob.get(0));
    assertEquals(bob.get(1), bobInit.out().strip(), bobInit.err());
    CliTest.Result again = xchat("--home", home("laptop"), "init");
    assertEquals(1, again.code(), "a home holds one account");

    assertEquals(0, xchat("--home", home("laptop"), "circle", "add", "family", "--relay", relay.url()).code());
    assertEquals(0, xchat("--home", home("bob"), "circle", "add", "family", "--relay", relay.url()).code());
    CliTest.Result list = xchat("--home", home("laptop"), "circle", "list");
    assertEquals("family " + relay.url(), list.out().strip(), list.err());

    CliTest.Result sent = xchat("--home", home("laptop"), "send", "--circle", "family", "--to", bob.get(1), "hello from the cli");
    assertEquals(0, sent.code(), sent.err());
    String id = sent.out().strip();
    assertTrue(id.matches("[0-9a-f]{64}"), id);

    CliTest.Result synced = xchat("--home", home("bob"), "sync", "--circle", "family", "--timeout", "20s");
    assertEquals(0, synced.code(), synced.out() + synced.err());
    CliTest.Result onBob = xchat("--home", home("bob"), "messages", "--circle", "family", "--json");
    assertEquals(1, onBob.lines().size(), onBob.out() + onBob.err());
    assertTrue(onBob.lines().get(0).contains("\"id\":\"" + id + "\""), onBob.out());
    assertTrue(onBob.lines().get(0).contains("\"content\":\"hello from the cli\""), onBob.out());
    assertTrue(onBob.lines().get(0).contains("\"kind\":14"), onBob.out());

    // The phone names one relay; the circle's definition and the self copy follow.
    assertEquals(0, xchat("--home", home("phone"), "circle", "add", "family", "--relay", relay.url()).code());
    assertEquals(0, xchat("--home", home("phone"), "sync", "--timeout", "20s").code());
    CliTest.Result onPhone = xchat("--home", home("phone"), "messages", "--circle", "family", "--json");
    assertTrue(onPhone.out().contains(id), onPhone.out() + onPhone.err());

    CliTest.Result deleted = xchat("--home", home("laptop"), "delete", "--circle", "family", id);
    assertEquals(0, deleted.code(), deleted.out() + deleted.err());
    assertEquals(relay.url() + " DELETED", deleted.out().strip());
    assertEquals(0, xchat("--home", home("bob"), "sync", "--timeout", "20s").code());
    assertEquals("", xchat("--home", home("bob"), "messages", "--circle", "family").out());
    assertEquals(0, xchat("--home", home("phone"), "sync", "--timeout", "20s").code());
    assertEquals("", xchat("--home", home("phone"), "messages", "--circle", "family").out());
  }

  @Test
  void engineCommandsNeedAHomeAndAKnownCircle() {
    assertEquals(2, xchat("messages", "--circle", "family").code());
    List<String> alice = xchat("keygen").lines();
    assertEquals(0, xchat("--home", home("a"), "init", "--nsec", alice.get(0)).code());
    CliTest.Result unknown = xchat("--home", home("a"), "messages", "--circle", "nope");
    assertEquals(1, unknown.code());
    assertTrue(unknown.err().contains("no circle named nope"), unknown.err());
    CliTest.Result missing = xchat("--home", home("nobody"), "circle", "list");
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("initialise it first"), missing.err());
  }
}
