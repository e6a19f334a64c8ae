package xchat.relay.blossom;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Blossom server on its own port and actor system, for tests and benchmarks that need file
 * servers without a relay. {@code ./xchat relay} serves the same routes beside the relay instead
 * (see {@code RelayServer}).
 */
public final class BlossomServer {
  private static final Logger LOG = LoggerFactory.getLogger(BlossomServer.class);
  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(20);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final ActorSystem<Void> system;
  private final BlossomRoutes routes;
  private final ServerBinding binding;
  private final String host;
  private CompletionStage<Void> stopped;

  private BlossomServer(
      ActorSystem<Void> system, BlossomRoutes routes, ServerBinding binding, String host) {
    this.system = system;
    this.routes = routes;
    this.binding = binding;
    this.host = host;
  }

  /**
   * Binds {@code host:port} (0 picks a free port) and returns once it accepts connections.
   *
   * @throws IllegalStateException when the address cannot be bound
   */
  public static BlossomServer start(BlossomConfig config, String host, int port) {
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(),
            "xchat-blossom-" + INSTANCES.incrementAndGet(),
            ConfigFactory.parseString(
                    String.join(
                        "\n",
                        "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]",
                        "pekko.logging-filter ="
                            + " \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"",
                        "pekko.stdout-loglevel = OFF",
                        "pekko.log-dead-letters = off",
                        "pekko.jvm-exit-on-fatal-error = off",
                        "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off"))
                .withFallback(ConfigFactory.load(BlossomServer.class.getClassLoader())));
    try {
      BlossomRoutes routes = BlossomRoutes.create(config, system);
      ServerBinding binding =
          Http.get(system)
              .newServerAt(host, port)
              .bind(routes.route().seal().handler(system))
              .toCompletableFuture()
              .get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return new BlossomServer(system, routes, binding, host);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      system.terminate();
      throw new IllegalStateException("cannot start a Blossom server on " + host + ":" + port, e);
    } catch (InterruptedException e) {
      system.terminate();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding", e);
    }
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  /** {@code http://HOST:PORT}: the server root BUD-01 serves every endpoint from. */
  public URI url() {
    String shown = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return URI.create("http://" + shown + ":" + port());
  }

  public BlossomRoutes routes() {
    return routes;
  }

  /**
   * Unbinds, lets open requests finish for a moment, and stops the actor system. Pekko's stages
   * are Scala futures, whose callbacks without an executor run on the common pool: each step
   * runs on the system's dispatcher, and the last one where termination completes.
   */
  public synchronized CompletionStage<Void> stop() {
    if (stopped == null) {
      Executor dispatcher = system.executionContext();
      Executor whereTerminated = Runnable::run;
      stopped =
          binding
              .unbind()
              .thenComposeAsync(done -> binding.terminate(Duration.ofSeconds(3)), dispatcher)
              .handleAsync(
                  (done, failure) -> {
                    if (failure != null) {
                      LOG.warn("closing Blossom connections failed", failure);
                    }
                    return null;
                  },
                  dispatcher)
              .thenComposeAsync(
                  ignored -> {
                    system.terminate();
                    return system.getWhenTerminated();
                  },
                  dispatcher)
              .thenApplyAsync(done -> (Void) null, whereTerminated);
    }
    return stopped;
  }
}
