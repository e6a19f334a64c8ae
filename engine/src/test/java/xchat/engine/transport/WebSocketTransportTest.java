package xchat.engine.transport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import xchat.engine.testrelay.TestEvents;
import xchat.engine.testrelay.TestRelay;

/** Closing a socket is not an error: only a connection that really failed is logged, at WARN. */
class WebSocketTransportTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private ActorTestKit kit;
  private TestRelay relay;
  private WebSocketTransport transport;
  private RelayUrl url;

  @BeforeEach
  void start() {
    logs.start();
    root.addAppender(logs);
    kit = ActorTestKit.create("client");
    relay = TestRelay.start(new TestEvents(7).curve);
    url = RelayUrl.of(relay.url());
    transport = new WebSocketTransport(kit.system(), WebSocketTransport.Settings.DEFAULT);
  }

  @AfterEach
  void stop() {
    if (kit != null) {
      kit.shutdownTestKit();
    }
    relay.close();
    root.detachAppender(logs);
  }

  /** WARN and above from the client's side (the test relay runs its own actor system). */
  private List<ILoggingEvent> clientWarnings() {
    return logs.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .filter(e -> !"test-relay".equals(e.getMDCPropertyMap().get("sourceActorSystem")))
        .toList();
  }

  private RelayConnection connect() throws Exception {
    RelayConnection connection = transport.connect(url).toCompletableFuture().get(10, TimeUnit.SECONDS);
    connection.incoming().subscribe(new Drain());
    await().atMost(WAIT).until(() -> relay.openConnections() == 1);
    return connection;
  }

  @ParameterizedTest(name = "abort: {0}")
  @ValueSource(booleans = {false, true})
  void closingOrAbortingEndsTheConnectionSilently(boolean abort) throws Exception {
    RelayConnection connection = connect();
    if (abort) {
      connection.abort();
    } else {
      connection.close();
    }
    connection.terminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> relay.openConnections() == 0);
    assertEquals(List.of(), clientWarnings());
  }

  @Test
  void shuttingTheEngineDownWithOpenSocketsLogsNoError() throws Exception {
    RelayConnection first = connect();
    first.close();
    connect();
    kit.shutdownTestKit();
    kit = null;
    await().atMost(WAIT).until(() -> relay.openConnections() == 0);
    assertEquals(List.of(), clientWarnings().stream().filter(e -> e.getLevel() == Level.ERROR).toList());
  }

  @Test
  void aConnectionTheRelayBreaksIsAWarningNamingTheRelay() throws Exception {
    RelayConnection connection = connect();
    relay.dropConnections();
    connection.terminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> !clientWarnings().isEmpty());
    List<ILoggingEvent> warnings = clientWarnings();
    assertEquals(1, warnings.size(), warnings.toString());
    assertEquals(Level.WARN, warnings.get(0).getLevel());
    assertTrue(warnings.get(0).getFormattedMessage().startsWith("ws://127.0.0.1:" + relay.port() + ": connection failed"),
        warnings.get(0).getFormattedMessage());
  }

  private static final class Drain implements Flow.Subscriber<String> {
    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String item) {}

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}
  }
}
