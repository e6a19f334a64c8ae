package xchat.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import xchat.engine.api.SyncResult;
import xchat.engine.api.XChat;

@Command(name = "sync", description = "Reconcile with the relays (NIP-77, or REQ paging); exits 0 once caught up "
    + "with every relay. Prints one line per relay: circle, relay, complete|incomplete, method, events.")
final class SyncCommand implements Callable<Integer>, IoAware {
  @ParentCommand Main main;

  @Option(names = "--circle", paramLabel = "NAME", description = "Only this circle (default: every circle).")
  String circle;

  @Option(names = "--timeout", defaultValue = "30s", paramLabel = "DURATION") String timeout;

  private Io io;

  @Override
  public void io(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    java.time.Duration wait = Home.duration(timeout);
    try (XChat chat = Home.open(main, true)) {
      List<SyncResult> results = circle != null
          ? List.of(chat.sync(circle, wait).toCompletableFuture().get(wait.toMillis() + 30_000, TimeUnit.MILLISECONDS))
          : chat.syncAll(wait).toCompletableFuture().get(wait.toMillis() + 30_000, TimeUnit.MILLISECONDS);
      boolean complete = true;
      for (SyncResult result : results) {
        if (result.relays().isEmpty()) {
          io.err().println("xchat: circle " + result.circle() + " has no reachable relay");
          complete = false;
        }
        for (SyncResult.RelaySync relay : result.relays()) {
          io.out().println(result.circle() + " " + relay.relay() + " " + (relay.complete() ? "complete" : "incomplete")
              + " " + relay.method() + " " + relay.received() + (relay.detail().isEmpty() ? "" : " (" + relay.detail() + ")"));
          complete &= relay.complete();
        }
      }
      if (!complete) {
        io.err().println("xchat: not caught up with every relay");
      }
      return complete ? 0 : 1;
    }
  }
}
