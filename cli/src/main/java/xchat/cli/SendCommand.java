package xchat.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import xchat.engine.api.MessageHandle;
import xchat.engine.api.SendOptions;
import xchat.engine.api.SendOutcome;
import xchat.engine.api.XChat;

@Command(name = "send", description = "Send a message in a circle; prints its id once every copy (each "
    + "recipient's and this account's own) has been accepted by a relay.")
final class SendCommand implements Callable<Integer>, IoAware {
  @ParentCommand Main main;

  @Option(names = "--circle", required = true, paramLabel = "NAME") String circle;

  @Option(names = "--to", required = true, paramLabel = "NPUB[,NPUB]", description = "Recipients: npub or hex, comma-separated.")
  String to;

  @Option(names = "--expires-in", paramLabel = "DURATION", description = "Disappear after this long (NIP-40), e.g. 1h.")
  String expiresIn;

  @Option(names = "--timeout", defaultValue = "60s", paramLabel = "DURATION", description = "How long to wait for the relays (default 60s).")
  String timeout;

  @Parameters(index = "0", paramLabel = "TEXT") String text;

  private Io io;

  @Override
  public void io(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    if (text.isEmpty()) {
      throw new UsageException("the message is empty");
    }
    List<String> recipients = List.of(to.split(","));
    long wait = Home.duration(timeout).toMillis();
    SendOptions options = expiresIn == null ? SendOptions.NONE
        : SendOptions.expiringAt(System.currentTimeMillis() / 1000 + Home.duration(expiresIn).toSeconds());
    try (XChat chat = Home.open(main, true)) {
      MessageHandle handle = chat.send(circle, recipients, text, options);
      SendOutcome outcome;
      try {
        outcome = handle.outcome().toCompletableFuture().get(wait, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        io.err().println("xchat: not every copy was accepted within " + timeout
            + "; the message stays queued and is retried on the next run (id " + handle.messageId() + ")");
        return 1;
      }
      if (outcome instanceof SendOutcome.Failed failed) {
        io.err().println("xchat: sending failed: " + failed.reason());
        return 1;
      }
      io.out().println(handle.messageId());
      return 0;
    }
  }
}
