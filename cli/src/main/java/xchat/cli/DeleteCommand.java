package xchat.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import xchat.engine.api.DeletionHandle;
import xchat.engine.api.DeletionReport;
import xchat.engine.api.FileServerDeletion;
import xchat.engine.api.SendOutcome;
import xchat.engine.api.XChat;

@Command(name = "delete", description = "Delete one of your messages for everyone. Prints each relay's answer to "
    + "the NIP-09 request (relay DELETED|REFUSED|PENDING); for a file message also each file server's "
    + "(file SERVER DELETED|ALREADY_ABSENT|STILL_SERVED|UNCONFIRMED|REFUSED|UNREACHABLE).")
final class DeleteCommand implements Callable<Integer>, IoAware {
  @ParentCommand Main main;

  @Option(names = "--circle", required = true, paramLabel = "NAME") String circle;

  @Option(names = "--timeout", defaultValue = "60s", paramLabel = "DURATION") String timeout;

  @Parameters(index = "0", paramLabel = "MESSAGE_ID") String messageId;

  private Io io;

  @Override
  public void io(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    long wait = Home.duration(timeout).toMillis();
    try (XChat chat = Home.open(main, true)) {
      DeletionHandle deletion = chat.delete(circle, messageId);
      DeletionReport report;
      try {
        report = deletion.report().toCompletableFuture().get(wait, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        io.err().println("xchat: the deletion is queued but not every relay answered within " + timeout);
        return 1;
      }
      report.relays().forEach((relay, answer) -> io.out().println(relay + " " + answer));
      List<FileServerDeletion> files;
      try {
        files = deletion.fileServers().toCompletableFuture().get(wait, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        io.err().println("xchat: not every file server answered the deletion within " + timeout);
        return 1;
      }
      for (FileServerDeletion server : files) {
        io.out().println("file " + server.server() + " " + server.outcome() + server.failure().map(f -> " " + f).orElse(""));
      }
      if (report.rumorOutcome() instanceof SendOutcome.Failed failed) {
        io.err().println("xchat: the deletion could not be sent: " + failed.reason());
        return 1;
      }
      if (!files.stream().allMatch(FileServerDeletion::confirmed)) {
        io.err().println("xchat: not every file server confirmed that the file is gone");
        return 1;
      }
      return 0;
    }
  }
}
