package xchat.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import xchat.engine.api.CircleInfo;
import xchat.engine.api.XChat;

@Command(name = "circle", description = "Manage circles: each has its own relays, keys and history.",
    subcommands = {CircleCommand.Add.class, CircleCommand.ListCircles.class, CircleCommand.Files.class,
        CircleCommand.Remove.class})
final class CircleCommand implements Runnable {
  @ParentCommand Main main;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "add, list, files or remove is required");
  }

  @Command(name = "add", description = "Add a circle with its relays. On a second device, naming one relay of an "
      + "existing circle is enough: the rest comes with the device state.")
  static final class Add implements Callable<Integer>, IoAware {
    @ParentCommand CircleCommand parent;

    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Option(names = "--relay", required = true, arity = "1..*", paramLabel = "URL", description = "ws:// or wss:// relay URL.")
    List<String> relays;

    @Option(names = "--file-server", arity = "1..*", paramLabel = "URL",
        description = "http(s) Blossom server for the circle's files (the relay's own port serves one).")
    List<String> fileServers;

    private Io io;

    @Override
    public void io(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      try (XChat chat = Home.open(parent.main, false)) {
        CircleInfo circle = chat.createCircle(name, relays);
        if (fileServers != null && !fileServers.isEmpty()) {
          circle = chat.setFileServers(name, fileServers);
        }
        io.out().println(circle.name() + " " + String.join(" ", circle.relays()));
      }
      return 0;
    }
  }

  @Command(name = "list", description = "List circles: name, then relays.")
  static final class ListCircles implements Callable<Integer>, IoAware {
    @ParentCommand CircleCommand parent;

    private Io io;

    @Override
    public void io(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      try (XChat chat = Home.open(parent.main, false)) {
        for (CircleInfo circle : chat.circles()) {
          io.out().println(circle.name() + " " + String.join(" ", circle.relays()));
        }
      }
      return 0;
    }
  }

  @Command(name = "files", description = "Show or set the circle's file servers (Blossom, http(s)); setting them "
      + "also publishes this account's NIP-B7 server list (kind 10063) on the circle's relays.")
  static final class Files implements Callable<Integer>, IoAware {
    @ParentCommand CircleCommand parent;

    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Option(names = "--server", arity = "1..*", paramLabel = "URL", description = "Replace the list with these.")
    List<String> servers;

    private Io io;

    @Override
    public void io(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      try (XChat chat = Home.open(parent.main, false)) {
        CircleInfo circle = servers == null
            ? chat.circle(name).orElseThrow(() ->
                new xchat.engine.api.XChatException(xchat.engine.api.XChatException.Reason.UNKNOWN_CIRCLE,
                    "no circle named " + name))
            : chat.setFileServers(name, servers);
        circle.fileServers().forEach(io.out()::println);
      }
      return 0;
    }
  }

  @Command(name = "remove", description = "Remove a circle on every device and crypto-shred it here.")
  static final class Remove implements Callable<Integer>, IoAware {
    @ParentCommand CircleCommand parent;

    @Parameters(index = "0", paramLabel = "NAME") String name;

    private Io io;

    @Override
    public void io(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      try (XChat chat = Home.open(parent.main, true)) {
        chat.removeCircle(name);
      }
      return 0;
    }
  }
}
