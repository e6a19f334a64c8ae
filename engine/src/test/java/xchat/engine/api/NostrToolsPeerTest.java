package xchat.engine.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.Rumor;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.nip17.ChatRoom;
import xchat.relay.server.RelayServer;

/** An xchat device and nostr-tools (the reference JS client) exchange NIP-17 messages over a relay. */
class NostrToolsPeerTest {

  static List<String> node(String... args) throws IOException, InterruptedException {
    Path interop = Path.of("..", "interop").toAbsolutePath().normalize();
    if (!Files.isDirectory(interop.resolve("node_modules/nostr-tools"))) {
      throw new AssertionError("nostr-tools is not installed in " + interop + ": run 'npm ci' there");
    }
    List<String> command = new ArrayList<>(List.of("node", "engine-peer.mjs"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(interop.toFile()).start();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new AssertionError("node failed: " + new String(err, StandardCharsets.UTF_8));
    }
    String text = new String(out, StandardCharsets.UTF_8).strip();
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }

  @Test
  void anXchatDeviceAndANostrToolsClientChatBothWays() throws Exception {
    try (TestWorld world = new TestWorld("nostr-tools")) {
      RelayServer relay = world.relay();
      KeyPair alice = world.newAccount();
      KeyPair carol = world.newAccount();
      XChat aliceChat = world.open("alice", alice);
      aliceChat.createCircle("friends", List.of(relay.url()));

      String fromCarol = node("send", relay.url(), TestWorld.nsecHex(carol), alice.publicKey().hex(),
          "hello from nostr-tools").get(0);
      await().atMost(Duration.ofSeconds(30)).until(() -> aliceChat.messages("friends").size() == 1);
      Message received = aliceChat.messages("friends").get(0);
      assertEquals(fromCarol, received.id(), "the rumor id is the same on both sides, " + world.why());
      assertEquals("hello from nostr-tools", received.content(), world.why());
      assertEquals(carol.publicKey().hex(), received.author(), world.why());

      MessageHandle reply = aliceChat.send("friends", List.of(carol.publicKey().hex()), "hello from xchat");
      assertTrue(reply.outcome().toCompletableFuture().get(30, TimeUnit.SECONDS) instanceof SendOutcome.Sent, world.why());
      List<Rumor> carolSees = new ArrayList<>();
      for (String line : node("receive", relay.url(), TestWorld.nsecHex(carol))) {
        carolSees.add(EventJson.parseRumor(line));
      }
      Rumor answer = carolSees.stream().filter(r -> r.id().hex().equals(reply.messageId())).findFirst()
          .orElseThrow(() -> new AssertionError("nostr-tools did not unwrap the reply: " + carolSees));
      assertEquals("hello from xchat", answer.event().content(), world.why());
      assertEquals(alice.publicKey(), answer.event().pubkey(), world.why());
      assertEquals(received.conversation(), ChatRoom.of(answer).id(), "one room on both sides, " + world.why());
      assertEquals(2, aliceChat.messages("friends").size(), world.why());
    }
  }
}
