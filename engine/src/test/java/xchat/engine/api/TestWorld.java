package xchat.engine.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.stream.Stream;
import xchat.engine.relay.RelaySettings;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.KeyPair;
import xchat.relay.server.RelayConfig;
import xchat.relay.server.RelayServer;

/**
 * Real relays on loopback and real engines in temporary homes, for end-to-end tests. Every
 * random choice derives from {@link #seed}, which the tests print in their assertion messages.
 */
final class TestWorld implements AutoCloseable {
  static final Secp256k1 CURVE = Secp256k1.defaultBackend();
  static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

  final long seed;
  final Path root;
  private final SplittableRandom random;
  private final List<RelayServer> relays = new ArrayList<>();
  private final List<XChat> engines = new ArrayList<>();

  TestWorld(String name) throws IOException {
    // -Dxchat.test.seed=N replays a failed run.
    this.seed = Long.getLong("xchat.test.seed", new Random().nextLong());
    this.random = new SplittableRandom(seed);
    this.root = Files.createTempDirectory("xchat-" + name + "-");
    System.out.println("[" + name + "] seed " + seed);
  }

  String why() {
    return "seed " + seed;
  }

  KeyPair newAccount() {
    return KeyPair.generate(random.split(), CURVE);
  }

  static String nsecHex(KeyPair keys) {
    return Hex.encode(keys.secretKey().bytes());
  }

  RelayServer relay() {
    return relay(RelayConfig.ephemeral());
  }

  RelayServer relay(RelayConfig config) {
    RelayServer server = RelayServer.start(config);
    relays.add(server);
    return server;
  }

  void stop(RelayServer relay) {
    relay.stop().toCompletableFuture().join();
    relays.remove(relay);
  }

  static RelaySettings fastRelaySettings() {
    return XChatConfig.engineDefaults()
        .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(2))
        .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(10));
  }

  XChatConfig.Builder config(Path home, KeyPair account) {
    return XChatConfig.builder(home, PASSPHRASE)
        .createWith(nsecHex(account))
        .random(random.split())
        .fastKdfForTests()
        .relaySettings(fastRelaySettings());
  }

  XChat open(String device, KeyPair account) {
    return open(config(root.resolve(device), account).deviceLabel(device).build());
  }

  XChat open(XChatConfig config) {
    XChat chat = XChat.open(config);
    engines.add(chat);
    return chat;
  }

  void close(XChat chat) {
    engines.remove(chat);
    chat.close();
  }

  @Override
  public void close() throws IOException {
    for (XChat chat : new ArrayList<>(engines)) {
      chat.close();
    }
    for (RelayServer relay : new ArrayList<>(relays)) {
      relay.stop().toCompletableFuture().join();
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** Records every item it is sent; {@code done} completes with the stream. */
  static class Recorder<T> implements Flow.Subscriber<T> {
    final List<T> seen = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(T item) {
      seen.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
      done.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      done.complete(null);
    }
  }

  /** Records every engine event it is sent. */
  static final class Events extends Recorder<EngineEvent> {
    static Events of(XChat chat) {
      Events events = new Events();
      chat.events().subscribe(events);
      return events;
    }

    <T extends EngineEvent> List<T> of(Class<T> type) {
      return seen.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }
}
