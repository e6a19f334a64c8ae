package xchat.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import xchat.cli.demo.Demo;

@Command(
    name = "demo",
    description = {
      "The embedded-default tour: local relays, two accounts, three devices, two circles.",
      "Two relays start in this process on loopback; Alice gets two devices and Bob one. They talk in two "
          + "circles, Alice deletes a message for everyone, a relay dies and comes back, and every device's "
          + "conversation fingerprints are compared.",
      "Exits 0 when every device agrees, 1 otherwise. Nothing leaves 127.0.0.1; the temporary homes are deleted."
    })
final class DemoCommand implements Callable<Integer>, IoAware {
  private Io io;

  @Override
  public void io(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    return new Demo(io.out(), Demo.Accounts.random()).run();
  }
}
