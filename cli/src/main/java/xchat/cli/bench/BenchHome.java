package xchat.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.stream.Stream;
import xchat.engine.api.EngineEvent;
import xchat.engine.api.XChat;
import xchat.engine.api.XChatConfig;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.KeyPair;

/** Temporary homes and engine configs shared by the benches. */
final class BenchHome implements AutoCloseable {
  static final char[] PASSPHRASE = "xchat bench".toCharArray();

  final Path root;

  BenchHome(String name) throws IOException {
    this.root = Files.createTempDirectory("xchat-bench-" + name + "-");
  }

  /** A device with the engine's default settings; only the KDF is cheap, as the home is thrown away. */
  XChat open(String device, KeyPair keys, SplittableRandom random) {
    byte[] secret = keys.secretKey().bytes();
    try {
      XChatConfig config = XChatConfig.builder(root.resolve(device), PASSPHRASE)
          .createWith(Hex.encode(secret))
          .random(random.split())
          .fastKdfForTests()
          .deviceLabel(device)
          .build();
      try {
        return XChat.open(config);
      } finally {
        config.wipe();
      }
    } finally {
      java.util.Arrays.fill(secret, (byte) 0);
    }
  }

  @Override
  public void close() throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** Passes every engine event to {@code onEvent}; never lags, so the engine's bus drops nothing. */
  static void subscribe(XChat chat, Consumer<EngineEvent> onEvent) {
    chat.events().subscribe(new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(EngineEvent event) {
        onEvent.accept(event);
      }

      @Override
      public void onError(Throwable failure) {
        // The bus ends only when the engine closes, which is after the bench has its figures.
      }

      @Override
      public void onComplete() {}
    });
  }
}
