package xchat.engine.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.nip17.ChatRumors;
import xchat.protocol.nip59.GiftWrap;
import xchat.relay.server.RelayServer;

/**
 * NIP-09: only a message's author can delete it, whichever of the message and the deletion
 * arrives first. Carol writes to Bob; Mallory, a third party, forges deletions of her messages.
 */
class ForgedDeletionTest {
  private static final Duration WAIT = Duration.ofSeconds(40);

  @Test
  void onlyTheAuthorsDeletionRemovesAMessageInEitherArrivalOrder() throws Exception {
    try (TestWorld world = new TestWorld("forged-deletion")) {
      RelayServer relay = world.relay();
      KeyPair bob = world.newAccount();
      KeyPair carol = world.newAccount();
      KeyPair mallory = world.newAccount();
      Path bobHome = world.root.resolve("bob");
      XChat bobChat = world.open(world.config(bobHome, bob).deviceLabel("bob").build());
      bobChat.createCircle("family", List.of(relay.url()));
      SplittableRandom random = new SplittableRandom(world.seed);
      long now = System.currentTimeMillis() / 1000;
      Rumor early = chat(carol, bob, "deleted by a stranger before it came", now - 60);
      Rumor doomed = chat(carol, bob, "deleted by its author before it came", now - 50);
      Rumor late = chat(carol, bob, "deleted by a stranger after it came", now - 40);

      // Deletions first: Mallory's of one message, Carol's own of another.
      submit(relay, random, deletion(mallory, bob, early, now - 30), mallory, bob);
      submit(relay, random, deletion(carol, bob, doomed, now - 30), carol, bob);
      syncComplete(world, bobChat);
      // What waits for its target survives a restart.
      world.close(bobChat);
      XChat reopened = world.open(world.config(bobHome, bob).deviceLabel("bob").build());
      TestWorld.Events events = TestWorld.Events.of(reopened);
      submit(relay, random, early, carol, bob);
      submit(relay, random, doomed, carol, bob);
      submit(relay, random, late, carol, bob);
      await().atMost(WAIT).until(() -> has(reopened, late) && has(reopened, early));
      syncComplete(world, reopened);
      assertFalse(has(reopened, doomed), "the author's deletion wins though it came first, " + world.why());

      // Message first, then the stranger's deletion.
      submit(relay, random, deletion(mallory, bob, late, now - 20), mallory, bob);
      syncComplete(world, reopened);
      assertTrue(has(reopened, late), "a stranger cannot delete what arrived, " + world.why());
      assertTrue(has(reopened, early), "nor what arrived after the stranger's deletion, " + world.why());
      assertEquals(2, reopened.messages("family").size(), world.why());
      assertTrue(events.of(EngineEvent.MessageDeleted.class).isEmpty(), world.why());
    }
  }

  private static Rumor chat(KeyPair author, KeyPair to, String text, long createdAt) {
    return ChatRumors.chat(author.publicKey(), List.of(to.publicKey()), text, createdAt, ChatRumors.Options.NONE);
  }

  private static Rumor deletion(KeyPair author, KeyPair to, Rumor target, long createdAt) {
    return ChatRumors.deletion(author.publicKey(), List.of(to.publicKey()), List.of(target.id()), createdAt);
  }

  private static void submit(RelayServer relay, SplittableRandom random, Rumor rumor, KeyPair author,
      KeyPair to) throws Exception {
    GiftWrap wrap = new GiftWrap(TestWorld.CURVE, random.split(), () -> System.currentTimeMillis() / 1000);
    NostrEvent event = wrap.sealAndWrap(rumor, author, to.publicKey(), List.of());
    relay.store().submit(event).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void syncComplete(TestWorld world, XChat chat) throws Exception {
    SyncResult result = chat.sync("family", Duration.ofSeconds(20)).toCompletableFuture().get(40, TimeUnit.SECONDS);
    assertTrue(result.complete(), world.why() + " " + result);
  }

  private static boolean has(XChat chat, Rumor rumor) {
    return chat.messages("family").stream().anyMatch(m -> m.id().equals(rumor.id().hex()));
  }
}
