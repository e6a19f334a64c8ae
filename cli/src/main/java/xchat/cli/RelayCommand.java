package xchat.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import xchat.relay.server.RelayConfig;
import xchat.relay.server.RelayServer;

@Command(
    name = "relay",
    description = "Run a Nostr relay (NIP-01/09/11/40/42/59/62/77) and Blossom file server until interrupted.",
    footer = {
      "",
      "Examples:",
      "  ./xchat relay                                  # ws://127.0.0.1:7447, data in a temp dir",
      "  ./xchat relay --port 7448 --data ~/.xchat-relay --auth-required"
    })
final class RelayCommand implements Callable<Integer>, IoAware {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "7447", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--data", description = "Data directory; without it, a temporary one deleted on exit.")
  Path data;

  @Option(names = "--auth-required", description = "Require NIP-42 AUTH for reads and writes.")
  boolean authRequired;

  private Io io;

  @Override
  public void io(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws InterruptedException {
    RelayConfig config = RelayConfig.defaults().withHost(host).withPort(port).withAuthRequired(authRequired);
    if (data != null) {
      config = config.withDataDir(data);
    }
    RelayServer server = RelayServer.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
      stopped.countDown();
    }, "xchat-relay-shutdown"));
    io.out().println("xchat relay listening on " + server.url()
        + (authRequired ? " (AUTH required)" : "") + "; Ctrl-C stops it");
    io.out().flush();
    stopped.await();
    return 0;
  }
}
