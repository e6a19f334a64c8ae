package xchat.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import xchat.engine.api.FileResult;
import xchat.engine.api.XChat;

@Command(name = "get-file", description = "Fetch the file of a kind-15 message: from its URL, its fallbacks, then "
    + "the sender's other servers (NIP-B7); verified before and after decryption, kept in the encrypted cache, "
    + "written to --out. Prints the size and where it came from; a corrupted or substituted blob is refused "
    + "(exit 1, TAMPERED).")
final class GetFileCommand implements Callable<Integer>, IoAware {
  @ParentCommand Main main;

  @Option(names = "--circle", required = true, paramLabel = "NAME") String circle;

  @Option(names = "--out", required = true, paramLabel = "PATH", description = "Where to write the file.")
  Path out;

  @Option(names = "--force", description = "Overwrite --out if it exists.") boolean force;

  @Option(names = "--timeout", defaultValue = "10m", paramLabel = "DURATION", description = "How long to wait (default 10m).")
  String timeout;

  @Parameters(index = "0", paramLabel = "MESSAGE_ID") String messageId;

  private Io io;

  @Override
  public void io(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    if (Files.exists(out) && !force) {
      throw new UsageException(out + " exists; pass --force to overwrite it");
    }
    long wait = Home.duration(timeout).toMillis();
    try (XChat chat = Home.open(main, true)) {
      FileResult result;
      try {
        result = chat.getFile(circle, messageId, out).toCompletableFuture().get(wait, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        io.err().println("xchat: the file did not arrive within " + timeout);
        return 1;
      }
      if (result instanceof FileResult.Saved saved) {
        for (FileResult.FailedSource failed : saved.failedFirst()) {
          io.err().println("xchat: " + failed.url() + " " + failed.kind() + " " + failed.detail());
        }
        io.out().println(saved.size() + " bytes from " + saved.from().orElse("the local cache") + " -> " + saved.target());
        return 0;
      }
      FileResult.Failed failed = (FileResult.Failed) result;
      for (FileResult.FailedSource source : failed.attempts()) {
        io.err().println("xchat: " + source.url() + " " + source.kind() + " " + source.detail());
      }
      io.err().println("xchat: " + failed.reason() + ": " + failed.detail());
      return 1;
    }
  }
}
