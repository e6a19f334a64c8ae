package xchat.engine.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import xchat.protocol.keys.KeyPair;
import xchat.relay.server.RelayServer;

class EndToEndTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  static boolean has(XChat chat, String circle, String text) {
    return chat.messages(circle).stream().anyMatch(m -> m.content().equals(text));
  }

  @Test
  void messagesFlowBothWaysAndSelfCopiesReachTheOtherDevice() throws Exception {
    try (TestWorld world = new TestWorld("both-ways")) {
      RelayServer relay1 = world.relay();
      RelayServer relay2 = world.relay();
      KeyPair alice = world.newAccount();
      KeyPair bob = world.newAccount();
      XChat laptop = world.open("alice-laptop", alice);
      XChat phone = world.open("alice-phone", alice);
      XChat bobChat = world.open("bob", bob);
      List<String> relays = List.of(relay1.url(), relay2.url());
      laptop.createCircle("family", relays);
      bobChat.createCircle("family", relays);

      MessageHandle hello = laptop.send("family", List.of(bobChat.publicKeyHex()), "hello bob");
      SendOutcome outcome = hello.outcome().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertInstanceOf(SendOutcome.Sent.class, outcome, world.why() + " " + outcome);
      await().atMost(WAIT).until(() -> has(bobChat, "family", "hello bob"));

      bobChat.send("family", List.of(laptop.npub()), "hi alice").outcome().toCompletableFuture().get(30, TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> has(laptop, "family", "hi alice"));

      // The phone learns the circle from the laptop's device state only once it shares a relay:
      // a new device is told one relay, then discovers the rest.
      phone.createCircle("family", List.of(relay1.url()));
      await().atMost(WAIT).until(() -> has(phone, "family", "hello bob") && has(phone, "family", "hi alice"));

      List<Message> onLaptop = laptop.messages("family");
      List<Message> onPhone = phone.messages("family");
      List<Message> onBob = bobChat.messages("family");
      assertEquals(ids(onLaptop), ids(onBob), world.why());
      assertEquals(ids(onLaptop), ids(onPhone), world.why());
      String conversation = onLaptop.get(0).conversation();
      assertEquals(laptop.fingerprint("family", conversation), bobChat.fingerprint("family", conversation), world.why());
      assertEquals(laptop.fingerprint("family", conversation), phone.fingerprint("family", conversation), world.why());
    }
  }

  @Test
  void deleteForEveryoneReachesEveryDevice() throws Exception {
    try (TestWorld world = new TestWorld("delete")) {
      RelayServer relay1 = world.relay();
      KeyPair alice = world.newAccount();
      KeyPair bob = world.newAccount();
      XChat laptop = world.open("alice-laptop", alice);
      XChat phone = world.open("alice-phone", alice);
      XChat bobChat = world.open("bob", bob);
      List<String> relays = List.of(relay1.url());
      laptop.createCircle("family", relays);
      phone.createCircle("family", relays);
      bobChat.createCircle("family", relays);

      MessageHandle secret = laptop.send("family", List.of(bobChat.publicKeyHex()), "marker-secret-123");
      secret.outcome().toCompletableFuture().get(30, TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> has(bobChat, "family", "marker-secret-123") && has(phone, "family", "marker-secret-123"));

      DeletionHandle deletion = laptop.delete("family", secret.messageId());
      assertFalse(has(laptop, "family", "marker-secret-123"), world.why());
      await().atMost(WAIT).until(() -> !has(bobChat, "family", "marker-secret-123") && !has(phone, "family", "marker-secret-123"));
      DeletionReport report = deletion.report().toCompletableFuture().get(40, TimeUnit.SECONDS);
      assertEquals(DeletionReport.RelayAnswer.DELETED, report.relays().get(relay1.url()), world.why() + " " + report);
      await().atMost(WAIT).until(() -> laptop.deletionConfirmedBy(secret.messageId()).contains(phone.deviceId()));
      assertTrue(report.devices().contains(laptop.deviceId()), world.why());
    }
  }

  @Test
  void readMarkersAndMutesReachTheOtherDeviceThroughTheDeviceState() throws Exception {
    try (TestWorld world = new TestWorld("device-state")) {
      RelayServer relay = world.relay();
      KeyPair alice = world.newAccount();
      KeyPair bob = world.newAccount();
      XChat laptop = world.open("alice-laptop", alice);
      XChat phone = world.open("alice-phone", alice);
      XChat bobChat = world.open("bob", bob);
      laptop.createCircle("family", List.of(relay.url()));
      phone.createCircle("family", List.of(relay.url()));
      bobChat.createCircle("family", List.of(relay.url()));
      bobChat.send("family", List.of(laptop.npub()), "read me").outcome().toCompletableFuture().get(30, TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> has(laptop, "family", "read me") && has(phone, "family", "read me"));
      Message message = laptop.messages("family").get(0);

      laptop.markRead("family", message.conversation(), message.id());
      phone.mute("family", message.conversation(), true);
      await().atMost(WAIT).until(() -> phone.readMarker("family", message.conversation())
          .map(ReadMarker::messageId).orElse("").equals(message.id()));
      await().atMost(WAIT).until(() -> laptop.isMuted("family", message.conversation()));
      await().atMost(WAIT).until(() -> laptop.devices().size() == 2 && phone.devices().size() == 2);
      assertTrue(laptop.devices().stream().anyMatch(d -> d.label().equals("alice-phone") && !d.self()), world.why());
    }
  }

  @Test
  void disappearingMessagesAreErasedEverywhereOnceExpired() throws Exception {
    try (TestWorld world = new TestWorld("expiry")) {
      RelayServer relay = world.relay();
      KeyPair alice = world.newAccount();
      KeyPair bob = world.newAccount();
      java.util.concurrent.atomic.AtomicLong offset = new java.util.concurrent.atomic.AtomicLong();
      java.time.Clock clock = new java.time.Clock() {
        @Override
        public java.time.ZoneId getZone() {
          return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public java.time.Instant instant() {
          return java.time.Instant.now().plusMillis(offset.get());
        }
      };
      XChat aliceChat = world.open(world.config(world.root.resolve("alice"), alice).clock(clock).build());
      XChat bobChat = world.open(world.config(world.root.resolve("bob"), bob).clock(clock).build());
      aliceChat.createCircle("family", List.of(relay.url()));
      bobChat.createCircle("family", List.of(relay.url()));
      TestWorld.Events events = TestWorld.Events.of(bobChat);
      long expiresAt = clock.millis() / 1000 + 3600;
      MessageHandle handle = aliceChat.send("family", List.of(bobChat.npub()), "marker-ephemeral",
          SendOptions.expiringAt(expiresAt));
      handle.outcome().toCompletableFuture().get(30, TimeUnit.SECONDS);
      aliceChat.send("family", List.of(bobChat.npub()), "stays").outcome().toCompletableFuture().get(30, TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> has(bobChat, "family", "marker-ephemeral") && has(bobChat, "family", "stays"));
      assertEquals(expiresAt, bobChat.messages("family").stream().filter(m -> m.content().equals("marker-ephemeral"))
          .findFirst().orElseThrow().expiresAt().getAsLong(), world.why());

      offset.set(Duration.ofHours(2).toMillis());
      await().atMost(WAIT).until(() -> !has(bobChat, "family", "marker-ephemeral") && !has(aliceChat, "family", "marker-ephemeral"));
      assertTrue(has(bobChat, "family", "stays") && has(aliceChat, "family", "stays"), world.why());
      await().atMost(WAIT).until(() -> events.of(EngineEvent.MessageDeleted.class).stream()
          .anyMatch(e -> e.messageId().equals(handle.messageId()) && e.expired()));
    }
  }

  static List<String> ids(List<Message> messages) {
    return messages.stream().map(Message::id).toList();
  }
}
