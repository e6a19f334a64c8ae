package xchat.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import xchat.engine.api.XChat;
import xchat.engine.api.XChatConfig;

@Command(name = "init", description = "Create the account on this device (in --home). With the nsec of an "
    + "existing account, this home becomes another device of it.")
final class InitCommand implements Callable<Integer>, IoAware {
  @ParentCommand Main main;

  @Option(names = "--nsec", description = "The account's secret key (nsec or hex); a new one is made without it.")
  String nsec;

  private Io io;

  @Override
  public void io(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    Path home = Home.require(main);
    if (Files.exists(home.resolve("db").resolve("CURRENT"))) {
      io.err().println("xchat: " + home + " already holds an account");
      return 1;
    }
    char[] passphrase = Home.passphrase(true);
    XChatConfig.Builder builder = XChatConfig.builder(home, passphrase).offline().deviceLabel("xchat cli");
    Arrays.fill(passphrase, '\0');
    if (nsec != null) {
      builder.createWith(nsec);
    } else {
      builder.createIfMissing();
    }
    try (XChat chat = XChat.open(builder.build())) {
      io.out().println(chat.npub());
    }
    return 0;
  }
}
