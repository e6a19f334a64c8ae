package xchat.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import xchat.engine.api.FileSendResult;
import xchat.engine.api.SendOptions;
import xchat.engine.api.SendOutcome;
import xchat.engine.api.XChat;

@Command(name = "send-file", description = "Send a file in a circle: encrypted (AES-256-GCM, fresh key), uploaded "
    + "to the circle's file servers (Blossom), then announced in a NIP-17 kind-15 message. Prints one line per "
    + "server (URL UPLOADED|ALREADY_STORED|FAILED reason), then the message id once every copy was accepted.")
final class SendFileCommand implements Callable<Integer>, IoAware {
  @ParentCommand Main main;

  @Option(names = "--circle", required = true, paramLabel = "NAME") String circle;

  @Option(names = "--to", required = true, paramLabel = "NPUB[,NPUB]", description = "Recipients: npub or hex, comma-separated.")
  String to;

  @Option(names = "--mime", paramLabel = "TYPE", description = "MIME type (default: guessed from the name, else application/octet-stream).")
  String mime;

  @Option(names = "--timeout", defaultValue = "10m", paramLabel = "DURATION", description = "How long to wait for the upload and the relays (default 10m).")
  String timeout;

  @Parameters(index = "0", paramLabel = "FILE") Path file;

  private Io io;

  @Override
  public void io(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new UsageException("not a readable file: " + file);
    }
    String type = mime != null ? mime : guess(file);
    long wait = Home.duration(timeout).toMillis();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
    try (XChat chat = Home.open(main, true)) {
      if (chat.circle(circle).map(c -> c.fileServers().isEmpty()).orElse(false)) {
        io.err().println("xchat: the circle " + circle + " has no file servers; add one with: xchat circle files "
            + circle + " --server URL");
        return 1;
      }
      CompletableFuture<FileSendResult> sending =
          chat.sendFile(circle, List.of(to.split(",")), file, type, SendOptions.NONE).toCompletableFuture();
      FileSendResult result;
      try {
        result = sending.get(wait, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        io.err().println("xchat: the upload did not finish within " + timeout);
        return 1;
      }
      for (FileSendResult.ServerUpload server : result.servers()) {
        io.out().println(server.server() + " " + server.status() + server.failure().map(f -> " " + f).orElse(""));
      }
      if (!(result instanceof FileSendResult.Sent sent)) {
        io.err().println("xchat: no file server stored the file; nothing was sent");
        return 1;
      }
      SendOutcome outcome;
      try {
        long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        outcome = sent.message().outcome().toCompletableFuture().get(left, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        io.err().println("xchat: not every copy was accepted within " + timeout
            + "; the message stays queued and is retried on the next run (id " + sent.message().messageId() + ")");
        return 1;
      }
      if (outcome instanceof SendOutcome.Failed failed) {
        io.err().println("xchat: sending failed: " + failed.reason());
        return 1;
      }
      io.out().println(sent.message().messageId());
      return 0;
    }
  }

  private static String guess(Path file) {
    try {
      String probed = Files.probeContentType(file);
      return probed != null ? probed : "application/octet-stream";
    } catch (java.io.IOException e) {
      return "application/octet-stream";
    }
  }
}
