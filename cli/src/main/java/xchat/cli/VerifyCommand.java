package xchat.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.EventParseException;
import xchat.protocol.event.NostrEvent;

@Command(
    name = "verify",
    description = "Check events (JSON lines on stdin): canonical id and BIP-340 signature. "
        + "Prints 'ok ID' or an error per line; exits 1 if any line fails.")
final class VerifyCommand implements Callable<Integer>, IoAware {
  private Io io;

  @Override
  public void io(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    Secp256k1 curve = Secp256k1.defaultBackend();
    BufferedReader lines = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
    int lineNumber = 0;
    int failures = 0;
    String line;
    while ((line = lines.readLine()) != null) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      try {
        NostrEvent event = EventJson.parse(line);
        if (event.hasValidSignature(curve)) {
          io.out().println("ok " + event.id().hex());
        } else {
          io.err().println("line " + lineNumber + ": bad signature on " + event.id().hex());
          failures++;
        }
      } catch (EventParseException e) {
        io.err().println("line " + lineNumber + ": " + e.getMessage());
        failures++;
      }
    }
    return failures == 0 ? 0 : 1;
  }
}
