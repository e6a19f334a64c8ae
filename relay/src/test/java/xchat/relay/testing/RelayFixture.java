package xchat.relay.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import xchat.relay.server.RelayConfig;
import xchat.relay.server.RelayServer;

/** One relay on a free loopback port with a test clock, and the clients a test opened on it. */
public final class RelayFixture implements AutoCloseable {
  /** 2025-06-15T15:06:40Z: tests never depend on the real time. */
  public static final long START = 1_750_000_000L;

  public final MutableClock clock;
  public final TestEvents events;
  public final RelayServer relay;
  private final List<TestClient> clients = new ArrayList<>();

  private RelayFixture(long seed, UnaryOperator<RelayConfig> customise) {
    this.clock = new MutableClock(START);
    this.events = new TestEvents(seed);
    this.relay = RelayServer.start(customise.apply(RelayConfig.ephemeral().withClock(clock)));
  }

  public static RelayFixture start(long seed) {
    return new RelayFixture(seed, config -> config);
  }

  public static RelayFixture start(long seed, UnaryOperator<RelayConfig> customise) {
    return new RelayFixture(seed, customise);
  }

  public TestClient client() {
    TestClient client = TestClient.connect(relay.url());
    clients.add(client);
    return client;
  }

  public long now() {
    return clock.seconds();
  }

  public void advance(Duration by) {
    clock.advance(by);
  }

  @Override
  public void close() {
    clients.forEach(TestClient::close);
    relay.stop().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  public static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }
}
