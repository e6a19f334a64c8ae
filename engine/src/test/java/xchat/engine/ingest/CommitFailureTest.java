package xchat.engine.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xchat.engine.relay.IngestEnvelope;
import xchat.engine.transport.RelayUrl;
import xchat.persistence.CircleId;
import xchat.persistence.EncryptedStore;
import xchat.persistence.StoreOptions;
import xchat.persistence.crypto.ScryptParams;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.nip17.ChatRumors;
import xchat.protocol.nip59.GiftWrap;

/**
 * A batch that fails to commit stores none of its wraps, but the pipeline goes on: a relay's
 * acknowledgement is flow control, so the relay keeps delivering, and a later copy of a wrap that
 * was not stored gets through.
 */
class CommitFailureTest {
  private static final Secp256k1 CURVE = Secp256k1.defaultBackend();
  private static final long SEED = 91;
  private static final String CIRCLE = "friends";

  @TempDir Path dir;

  @Test
  void aFailedCommitStoresNothingYetKeepsTheRelayDeliveringAndLetsALaterCopyThrough() throws Exception {
    SplittableRandom random = new SplittableRandom(SEED);
    KeyPair me = KeyPair.generate(random.split(), CURVE);
    KeyPair sender = KeyPair.generate(random.split(), CURVE);
    GiftWrap wrapper = new GiftWrap(CURVE, random.split(), () -> 1_700_000_000L);
    NostrEvent first = wrap(wrapper, sender, me, "first");
    NostrEvent second = wrap(wrapper, sender, me, "second");
    RelayUrl relay = RelayUrl.of("wss://relay.example");
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "commit-failure");
    ExecutorService executor = Executors.newFixedThreadPool(2);
    List<String> failures = new CopyOnWriteArrayList<>();
    try (EncryptedStore store = EncryptedStore.create(dir, "passphrase".toCharArray(),
        StoreOptions.defaults().withScrypt(ScryptParams.TEST_ONLY))) {
      store.createCircle(CircleId.of(CIRCLE));
      IngestPipeline pipeline = new IngestPipeline(CIRCLE, store, me, CURVE, executor,
          Materializer.matFromSystem(system), () -> 1_700_000_000L, 512, Duration.ofSeconds(1), 2, 64,
          (url, rumor) -> true, new IngestPipeline.Listener() {
            @Override
            public void committed(IngestPipeline.Committed committed) {}

            @Override
            public void failed(String what, Throwable cause) {
              failures.add(what + ": " + cause.getMessage());
            }
          }, Set.of());

      // A catch-up wrap waits the window; the local write that fails joins its batch at once.
      CompletableFuture<Void> firstAck =
          pipeline.offer(new IngestEnvelope(relay, "sub", first, false)).toCompletableFuture();
      CompletableFuture<?> failing = pipeline.write(new IngestPipeline.LocalWrite(batch -> {
        throw new IllegalStateException("the disk is full");
      }, List.of(), true)).toCompletableFuture();

      firstAck.get(10, TimeUnit.SECONDS); // completes normally: the relay must keep delivering
      await().atMost(Duration.ofSeconds(10)).until(failing::isDone);
      assertTrue(failing.isCompletedExceptionally(), "the local write learns that it failed (seed " + SEED + ")");
      assertEquals(1, failures.size(), failures.toString());
      assertTrue(store.log(CircleId.of(CIRCLE), 0, 100).isEmpty(), "nothing of the failed batch is stored");

      pipeline.offer(new IngestEnvelope(relay, "sub", second, true)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      pipeline.offer(new IngestEnvelope(relay, "sync", first, false)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      pipeline.flush().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(2, store.log(CircleId.of(CIRCLE), 0, 100).size(),
          "the next wrap and the later copy of the unstored one are both stored (seed " + SEED + ")");
      pipeline.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      system.terminate();
      executor.shutdownNow();
    }
  }

  @Test
  void aStoreThatFailsEveryCallEndsNeitherTheStreamNorTheRelaysDelivery() throws Exception {
    SplittableRandom random = new SplittableRandom(SEED + 1);
    KeyPair me = KeyPair.generate(random.split(), CURVE);
    KeyPair sender = KeyPair.generate(random.split(), CURVE);
    GiftWrap wrapper = new GiftWrap(CURVE, random.split(), () -> 1_700_000_000L);
    RelayUrl relay = RelayUrl.of("wss://relay.example");
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "store-failure");
    ExecutorService executor = Executors.newFixedThreadPool(2);
    List<String> failures = new CopyOnWriteArrayList<>();
    EncryptedStore store = EncryptedStore.create(dir, "passphrase".toCharArray(),
        StoreOptions.defaults().withScrypt(ScryptParams.TEST_ONLY));
    try {
      store.createCircle(CircleId.of(CIRCLE));
      IngestPipeline pipeline = new IngestPipeline(CIRCLE, store, me, CURVE, executor,
          Materializer.matFromSystem(system), () -> 1_700_000_000L, 512, Duration.ZERO, 2, 64,
          (url, rumor) -> true, new IngestPipeline.Listener() {
            @Override
            public void committed(IngestPipeline.Committed committed) {}

            @Override
            public void failed(String what, Throwable cause) {
              failures.add(what);
            }
          }, Set.of());
      store.close(); // every lookup and every commit now throws

      for (String text : List.of("one", "two")) {
        pipeline.offer(new IngestEnvelope(relay, "sub", wrap(wrapper, sender, me, text), true))
            .toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> failures.size() >= 1);
      pipeline.close().toCompletableFuture().get(10, TimeUnit.SECONDS); // the stream ended normally
    } finally {
      store.close();
      system.terminate();
      executor.shutdownNow();
    }
  }

  private static NostrEvent wrap(GiftWrap wrapper, KeyPair sender, KeyPair me, String text) {
    Rumor rumor = ChatRumors.chat(sender.publicKey(), List.of(me.publicKey()), text, 1_700_000_000L,
        ChatRumors.Options.NONE);
    return wrapper.sealAndWrap(rumor, sender, me.publicKey(), List.of());
  }
}
