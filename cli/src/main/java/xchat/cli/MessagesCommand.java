package xchat.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import xchat.engine.api.Message;
import xchat.engine.api.XChat;

@Command(name = "messages", description = "Print a circle's messages in their one order (created_at, then id).")
final class MessagesCommand implements Callable<Integer>, IoAware {
  @ParentCommand Main main;

  @Option(names = "--circle", required = true, paramLabel = "NAME") String circle;

  @Option(names = "--json", description = "JSON lines: id, circle, conversation, from, to, created_at, kind, content.")
  boolean json;

  private Io io;

  @Override
  public void io(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    try (XChat chat = Home.open(main, false)) {
      for (Message message : chat.messages(circle)) {
        io.out().println(json ? MessageJson.line(message) : MessageJson.text(message));
      }
    }
    return 0;
  }
}
