package xchat.engine.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.filter.Filter;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.nip17.ChatRumors;
import xchat.protocol.nip59.GiftWrap;
import xchat.relay.server.RelayConfig;
import xchat.relay.server.RelayServer;
import xchat.relay.store.Access;

/** The guarantees of DESIGN.md, end to end: real relays on loopback, real engines, real homes. */
class GuaranteesTest {
  static final Duration WAIT = Duration.ofSeconds(40);

  static boolean has(XChat chat, String circle, String text) {
    return chat.messages(circle).stream().anyMatch(m -> m.content().equals(text));
  }

  static SendOutcome sent(MessageHandle handle) throws Exception {
    return handle.outcome().toCompletableFuture().get(40, TimeUnit.SECONDS);
  }

  @Test
  void deletedMessageNeverReappearsWhenARelayReplaysAnOldCopy() throws Exception {
    try (TestWorld world = new TestWorld("replay")) {
      RelayServer relay = world.relay();
      KeyPair alice = world.newAccount();
      KeyPair bob = world.newAccount();
      XChat aliceChat = world.open("alice", alice);
      XChat bobChat = world.open("bob", bob);
      aliceChat.createCircle("family", List.of(relay.url()));
      bobChat.createCircle("family", List.of(relay.url()));
      TestWorld.Events bobEvents = TestWorld.Events.of(bobChat);

      MessageHandle doomed = aliceChat.send("family", List.of(bobChat.npub()), "marker-doomed");
      assertInstanceOf(SendOutcome.Sent.class, sent(doomed), world.why());
      await().atMost(WAIT).until(() -> has(bobChat, "family", "marker-doomed"));
      List<NostrEvent> oldCopies = relay.store().query(
          List.of(Filter.builder().kinds(GiftWrap.WRAP_KIND).tag('p', bob.publicKey().hex()).build()),
          new Access(Set.of(bob.publicKey())), 1000, 1000);
      assertFalse(oldCopies.isEmpty(), world.why());

      aliceChat.delete("family", doomed.messageId()).report().toCompletableFuture().get(40, TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> !has(bobChat, "family", "marker-doomed"));
      int addedBefore = countAdded(bobEvents, doomed.messageId());

      // A second relay that still holds the old wraps joins Bob's circle and replays them.
      RelayServer replaying = world.relay();
      for (NostrEvent wrap : oldCopies) {
        replaying.store().submit(wrap).toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      bobChat.setRelays("family", List.of(relay.url(), replaying.url()));
      await().atMost(WAIT).until(() -> bobChat.sync("family", Duration.ofSeconds(20)).toCompletableFuture()
          .get(40, TimeUnit.SECONDS).relays().size() == 2);
      SyncResult result = bobChat.sync("family", Duration.ofSeconds(20)).toCompletableFuture().get(40, TimeUnit.SECONDS);
      assertTrue(result.complete(), world.why() + " " + result);
      assertFalse(has(bobChat, "family", "marker-doomed"), world.why());
      assertEquals(addedBefore, countAdded(bobEvents, doomed.messageId()), world.why());
    }
  }

  static int countAdded(TestWorld.Events events, String id) {
    return (int) events.of(EngineEvent.MessageAdded.class).stream().filter(e -> e.message().id().equals(id)).count();
  }

  @Test
  void aRelayKilledMidConversationFailsOverToTheOther() throws Exception {
    try (TestWorld world = new TestWorld("failover")) {
      RelayServer first = world.relay();
      RelayServer second = world.relay();
      KeyPair alice = world.newAccount();
      KeyPair bob = world.newAccount();
      XChat aliceChat = world.open("alice", alice);
      XChat bobChat = world.open("bob", bob);
      List<String> relays = List.of(first.url(), second.url());
      aliceChat.createCircle("family", relays);
      bobChat.createCircle("family", relays);

      sent(aliceChat.send("family", List.of(bobChat.npub()), "before the crash"));
      await().atMost(WAIT).until(() -> has(bobChat, "family", "before the crash"));
      world.stop(first);
      for (int i = 0; i < 5; i++) {
        assertInstanceOf(SendOutcome.Sent.class, sent(aliceChat.send("family", List.of(bobChat.npub()), "alice " + i)),
            world.why());
        assertInstanceOf(SendOutcome.Sent.class, sent(bobChat.send("family", List.of(aliceChat.npub()), "bob " + i)),
            world.why());
      }
      await().atMost(WAIT).until(() -> has(bobChat, "family", "alice 4") && has(aliceChat, "family", "bob 4"));
      assertEquals(11, bobChat.messages("family").size(), world.why());
      assertEquals(ids(aliceChat.messages("family")), ids(bobChat.messages("family")), world.why());
    }
  }

  @Test
  void aNewDeviceBootstrapsEveryCircleWithProgressAndCompleteness() throws Exception {
    try (TestWorld world = new TestWorld("bootstrap")) {
      RelayServer familyRelay = world.relay();
      RelayServer workRelay = world.relay();
      KeyPair alice = world.newAccount();
      KeyPair bob = world.newAccount();
      XChat laptop = world.open("alice-laptop", alice);
      XChat bobChat = world.open("bob", bob);
      laptop.createCircle("family", List.of(familyRelay.url()));
      laptop.createCircle("work", List.of(workRelay.url()));
      bobChat.createCircle("family", List.of(familyRelay.url()));
      bobChat.createCircle("work", List.of(workRelay.url()));
      for (int i = 0; i < 10; i++) {
        sent(laptop.send("family", List.of(bobChat.npub()), "family " + i));
        sent(bobChat.send("work", List.of(laptop.npub()), "work " + i));
      }
      await().atMost(WAIT).until(() -> laptop.messages("work").size() == 10);

      XChat tablet = world.open("alice-tablet", alice);
      TestWorld.Events progress = TestWorld.Events.of(tablet);
      tablet.createCircle("family", List.of(familyRelay.url()));
      // The work circle is learnt from the laptop's device state, carried by the family relay.
      await().atMost(WAIT).until(() -> tablet.circle("work").isPresent());
      List<SyncResult> results = tablet.syncAll(Duration.ofSeconds(30)).toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertEquals(2, results.size(), world.why());
      for (SyncResult result : results) {
        assertTrue(result.complete(), world.why() + " " + result);
      }
      assertEquals(ids(laptop.messages("family")), ids(tablet.messages("family")), world.why());
      assertEquals(ids(laptop.messages("work")), ids(tablet.messages("work")), world.why());
      assertEquals(20, tablet.messages("family").size() + tablet.messages("work").size(), world.why());
      assertTrue(progress.of(EngineEvent.SyncProgress.class).stream().anyMatch(p -> p.circle().equals("work")),
          world.why());
    }
  }

  @Test
  void circlesSharingARelayUrlUseDistinctSocketsAndNeverMix() throws Exception {
    try (TestWorld world = new TestWorld("isolation")) {
      RelayServer shared = world.relay();
      KeyPair alice = world.newAccount();
      KeyPair bob = world.newAccount();
      XChat aliceChat = world.open("alice", alice);
      XChat phone = world.open("alice-phone", alice);
      XChat bobChat = world.open("bob", bob);
      for (XChat chat : List.of(aliceChat, phone, bobChat)) {
        chat.createCircle("family", List.of(shared.url()));
        chat.createCircle("work", List.of(shared.url()));
      }
      await().atMost(WAIT).until(() -> shared.connectionCount() >= 6);
      int before = shared.connectionCount();
      sent(aliceChat.send("family", List.of(bobChat.npub()), "family only"));
      sent(aliceChat.send("work", List.of(bobChat.npub()), "work only"));
      await().atMost(WAIT).until(() -> has(bobChat, "family", "family only") && has(bobChat, "work", "work only")
          && has(phone, "family", "family only") && has(phone, "work", "work only"));
      for (XChat chat : List.of(aliceChat, phone, bobChat)) {
        assertFalse(has(chat, "work", "family only"), world.why());
        assertFalse(has(chat, "family", "work only"), world.why());
      }
      assertTrue(before >= 6, "one socket per circle per device: " + before + ", " + world.why());
    }
  }

  @Test
  void theOutboxSurvivesAnEngineRestart() throws Exception {
    try (TestWorld world = new TestWorld("outbox")) {
      RelayServer probe = world.relay();
      int port = probe.port();
      String url = probe.url();
      world.stop(probe);
      KeyPair alice = world.newAccount();
      KeyPair bob = world.newAccount();
      Path aliceHome = world.root.resolve("alice");
      XChat aliceChat = world.open(world.config(aliceHome, alice).build());
      aliceChat.createCircle("family", List.of(url));
      MessageHandle queued = aliceChat.send("family", List.of(bob.publicKey().hex()), "written while offline");
      assertEquals(MessageStatus.State.QUEUED, queued.status().state(), world.why());
      world.close(aliceChat);

      RelayServer relay = world.relay(RelayConfig.ephemeral().withPort(port));
      XChat reopened = world.open(world.config(aliceHome, alice).build());
      TestWorld.Events events = TestWorld.Events.of(reopened);
      XChat bobChat = world.open("bob", bob);
      bobChat.createCircle("family", List.of(relay.url()));
      await().atMost(WAIT).until(() -> has(bobChat, "family", "written while offline"));
      await().atMost(WAIT).until(() -> events.of(EngineEvent.MessageStatusChanged.class).stream().anyMatch(e ->
          e.status().messageId().equals(queued.messageId()) && e.status().state() == MessageStatus.State.SENT));
      assertEquals(queued.messageId(), bobChat.messages("family").get(0).id(), "the retry keeps the rumor id, " + world.why());
    }
  }

  @Test
  void theSameWrapFromTwoRelaysIsStoredAndAnnouncedOnce() throws Exception {
    try (TestWorld world = new TestWorld("dedup")) {
      RelayServer first = world.relay();
      RelayServer second = world.relay();
      KeyPair alice = world.newAccount();
      KeyPair bob = world.newAccount();
      XChat aliceChat = world.open("alice", alice);
      XChat bobChat = world.open("bob", bob);
      List<String> relays = List.of(first.url(), second.url());
      aliceChat.createCircle("family", relays);
      bobChat.createCircle("family", relays);
      TestWorld.Events events = TestWorld.Events.of(bobChat);
      MessageHandle handle = aliceChat.send("family", List.of(bobChat.npub()), "once");
      sent(handle);
      Filter toBob = Filter.builder().kinds(GiftWrap.WRAP_KIND).tag('p', bob.publicKey().hex()).build();
      Access asBob = new Access(Set.of(bob.publicKey()));
      await().atMost(WAIT).until(() -> first.store().query(List.of(toBob), asBob, 10, 10).size() == 1
          && second.store().query(List.of(toBob), asBob, 10, 10).size() == 1);
      assertEquals(first.store().query(List.of(toBob), asBob, 10, 10), second.store().query(List.of(toBob), asBob, 10, 10),
          "both relays hold the same wrap, " + world.why());
      await().atMost(WAIT).until(() -> has(bobChat, "family", "once"));
      bobChat.sync("family", Duration.ofSeconds(20)).toCompletableFuture().get(40, TimeUnit.SECONDS);
      assertEquals(1, bobChat.messages("family").size(), world.why());
      assertEquals(1, countAdded(events, handle.messageId()), world.why());
    }
  }

  @Test
  void orderIsRumorCreatedAtThenIdWhateverTheWrapTimes() throws Exception {
    try (TestWorld world = new TestWorld("order")) {
      RelayServer relay = world.relay();
      KeyPair bob = world.newAccount();
      KeyPair carol = world.newAccount();
      XChat bobChat = world.open("bob", bob);
      bobChat.createCircle("family", List.of(relay.url()));
      long base = System.currentTimeMillis() / 1000 - 3600;
      SplittableRandom random = new SplittableRandom(world.seed);
      List<Rumor> rumors = new ArrayList<>();
      long[] offsets = {0, 10, 10, 10, 20, 30};
      for (int i = 0; i < offsets.length; i++) {
        rumors.add(ChatRumors.chat(carol.publicKey(), List.of(bob.publicKey()), "m" + i, base + offsets[i],
            ChatRumors.Options.NONE));
      }
      // Later rumors get earlier wraps: the wrap time must not matter.
      for (int i = 0; i < rumors.size(); i++) {
        long wrapNow = base + 100_000 - i * 1000L;
        GiftWrap wrap = new GiftWrap(TestWorld.CURVE, random.split(), () -> wrapNow);
        NostrEvent event = wrap.sealAndWrap(rumors.get(i), carol, bob.publicKey(), List.of());
        relay.store().submit(event).toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      await().atMost(WAIT).until(() -> bobChat.messages("family").size() == rumors.size());
      List<String> expected = rumors.stream()
          .sorted(Comparator.comparingLong((Rumor r) -> r.event().createdAt()).thenComparing(Rumor::id))
          .map(r -> r.id().hex()).toList();
      assertEquals(expected, ids(bobChat.messages("family")), world.why());
      String conversation = bobChat.conversations("family").get(0).id();
      MessagePage first = bobChat.messages("family", conversation, java.util.Optional.empty(), 4);
      MessagePage rest = bobChat.messages("family", conversation, first.next(), 4);
      List<String> paged = new ArrayList<>(ids(first.messages()));
      paged.addAll(ids(rest.messages()));
      assertEquals(expected, paged, world.why());
    }
  }

  @Test
  void theHomeDirectoryHoldsNoPlaintextNoIdsAndNoKeys() throws Exception {
    Path home;
    List<String> secrets = new ArrayList<>();
    List<byte[]> rawSecrets = new ArrayList<>();
    try (TestWorld world = new TestWorld("at-rest")) {
      RelayServer relay = world.relay();
      KeyPair alice = world.newAccount();
      KeyPair bob = world.newAccount();
      XChat aliceChat = world.open("alice", alice);
      XChat bobChat = world.open("bob", bob);
      aliceChat.createCircle("family", List.of(relay.url()));
      bobChat.createCircle("family", List.of(relay.url()));
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        ids.add(sent(aliceChat.send("family", List.of(bobChat.npub()), "marker-plaintext-" + i)).messageId());
        ids.add(sent(bobChat.send("family", List.of(aliceChat.npub()), "marker-reply-" + i)).messageId());
      }
      await().atMost(WAIT).until(() -> aliceChat.messages("family").size() == 40);
      String conversation = aliceChat.conversations("family").get(0).id();
      aliceChat.delete("family", ids.get(0)).report().toCompletableFuture().get(40, TimeUnit.SECONDS);
      secrets.add("marker-plaintext-");
      secrets.add("marker-reply-");
      secrets.add(relay.url());
      secrets.add(alice.publicKey().hex());
      secrets.add(bob.publicKey().hex());
      secrets.add(aliceChat.npub());
      secrets.add(conversation);
      secrets.addAll(ids);
      secrets.add(TestWorld.nsecHex(alice));
      rawSecrets.add(alice.publicKey().bytes());
      rawSecrets.add(bob.publicKey().bytes());
      rawSecrets.add(alice.secretKey().bytes());
      for (String id : ids) {
        rawSecrets.add(HexFormat.of().parseHex(id));
      }
      home = world.root.resolve("alice");
      world.close(aliceChat);
      List<String> found = scan(home, secrets, rawSecrets);
      assertTrue(found.isEmpty(), "readable at rest: " + found + ", " + world.why());
    }
  }

  static List<String> scan(Path home, List<String> secrets, List<byte[]> rawSecrets) throws IOException {
    List<String> found = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(home)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertFalse(files.isEmpty());
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      String latin = new String(bytes, StandardCharsets.ISO_8859_1);
      for (String secret : secrets) {
        if (latin.contains(secret)) {
          found.add(file.getFileName() + " holds " + secret.substring(0, Math.min(20, secret.length())));
        }
      }
      for (byte[] raw : rawSecrets) {
        if (latin.contains(new String(raw, StandardCharsets.ISO_8859_1))) {
          found.add(file.getFileName() + " holds raw bytes " + HexFormat.of().formatHex(raw, 0, 4));
        }
      }
    }
    return found;
  }

  static List<String> ids(List<Message> messages) {
    return messages.stream().map(Message::id).toList();
  }
}
