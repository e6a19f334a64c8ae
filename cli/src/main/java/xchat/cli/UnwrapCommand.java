package xchat.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.EventParseException;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.nip59.UnwrapResult;
import xchat.protocol.nip59.Unwrapper;

@Command(
    name = "unwrap",
    description = "Read gift wraps as JSON lines on stdin and print each rumor as a JSON line. "
        + "A bad line gets an error line on stderr; the run goes on and exits 1.")
final class UnwrapCommand implements Callable<Integer>, IoAware {
  @Option(names = "--nsec", description = "Recipient's secret key (nsec or hex); or --nsec-file, or $XCHAT_NSEC.")
  String nsec;

  @Option(names = "--nsec-file", description = "File holding the recipient's secret key.")
  java.nio.file.Path nsecFile;

  private Io io;

  @Override
  public void io(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    Secp256k1 curve = Secp256k1.defaultBackend();
    KeyPair recipient = Keys.secret(nsec, nsecFile, curve);
    Unwrapper unwrapper = new Unwrapper(recipient, curve);
    BufferedReader lines = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
    int lineNumber = 0;
    int failures = 0;
    int skipped = 0;
    String line;
    while ((line = lines.readLine()) != null) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      NostrEvent wrap;
      try {
        wrap = EventJson.parse(line);
      } catch (EventParseException e) {
        io.err().println("line " + lineNumber + ": not a valid event: " + e.getMessage());
        failures++;
        continue;
      }
      UnwrapResult result = unwrapper.unwrap(wrap);
      if (result instanceof UnwrapResult.Unwrapped unwrapped) {
        io.out().println(EventJson.toJson(unwrapped.rumor()));
      } else if (result instanceof UnwrapResult.Rejected rejected
          && rejected.reason() == UnwrapResult.Reason.NOT_ADDRESSED_TO_US) {
        // A valid wrap for someone else (such as the sender's self copy) is not an error.
        io.err().println("line " + lineNumber + ": skipped: addressed to another key");
        skipped++;
      } else if (result instanceof UnwrapResult.Rejected rejected) {
        io.err().println("line " + lineNumber + ": wrap " + wrap.id().hex().substring(0, 12)
            + " rejected: " + rejected.reason() + " (" + rejected.detail() + ")");
        failures++;
      }
    }
    recipient.secretKey().destroy();
    if (failures > 0) {
      io.err().println(failures + " of " + lineNumber + " lines failed"
          + (skipped > 0 ? ", " + skipped + " skipped" : ""));
      return 1;
    }
    return 0;
  }
}
