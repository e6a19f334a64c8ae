package xchat.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code xchat} command. Exit codes: 0 success, 1 the operation failed, 2 bad usage. */
@Command(
    name = "xchat",
    mixinStandardHelpOptions = true,
    version = "xchat 0.1.0",
    description = "Private, end-to-end encrypted chat on Nostr: keys, gift wraps and the sync engine.",
    subcommands = {
      KeygenCommand.class,
      WrapCommand.class,
      UnwrapCommand.class,
      VerifyCommand.class,
      InitCommand.class,
      CircleCommand.class,
      SendCommand.class,
      SendFileCommand.class,
      GetFileCommand.class,
      SyncCommand.class,
      MessagesCommand.class,
      DeleteCommand.class,
      WatchCommand.class,
      RelayCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      SimulateCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--home", paramLabel = "DIR",
      description = "This device's account directory (for init, circle, send, send-file, get-file, sync, messages, delete, watch).")
  java.nio.file.Path home;

  public static void main(String[] args) {
    // Initialise logging before any thread logs, so SLF4J never queues and replays early calls.
    org.slf4j.LoggerFactory.getILoggerFactory();
    System.exit(run(System.in, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs one command line against the given streams; the tests use this directly. */
  public static int run(InputStream in, PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(new Main(), new Factory(new Io(in, out, err)));
    UsageHelp.install(commandLine);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(
        (exception, line, parseResult) -> {
          line.getErr().println("xchat: " + exception.getMessage());
          return exception instanceof UsageException ? 2 : 1;
        });
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /** Gives every command the process's (or the test's) streams. */
  private record Factory(Io io) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (IoAware.class.isAssignableFrom(type)) {
        K command = CommandLine.defaultFactory().create(type);
        ((IoAware) command).io(io);
        return command;
      }
      return CommandLine.defaultFactory().create(type);
    }
  }
}
