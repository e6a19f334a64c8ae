package xchat.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.keys.KeyPair;

/**
 * Runs the whole demo (send and receive on three devices, self copies, a deletion, a relay dying
 * and coming back) with every logger at DEBUG, and scans all that was logged for the secrets.
 */
class NothingSecretIsLoggedTest {
  @Test
  void neitherKeysNorPassphraseNorPlaintextReachTheLogAtDebug() throws Exception {
    long seed = new Random().nextLong();
    SplittableRandom random = new SplittableRandom(seed);
    Secp256k1 curve = Secp256k1.defaultBackend();
    KeyPair alice = KeyPair.generate(random, curve);
    KeyPair bob = KeyPair.generate(random, curve);
    Demo.Accounts accounts = new Demo.Accounts(Demo.Accounts.nsec(alice), Demo.Accounts.nsec(bob));
    List<String> secrets = new ArrayList<>(Demo.TEXTS);
    secrets.addAll(List.of(accounts.aliceNsec(), accounts.bobNsec(), alice.secretKey().hex(), bob.secretKey().hex(),
        Demo.PASSPHRASE));

    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.setContext(context);
    captured.start();
    root.addAppender(captured);
    root.setLevel(Level.DEBUG);
    StringWriter out = new StringWriter();
    int code;
    try {
      code = new Demo(new PrintWriter(out), accounts).run();
    } finally {
      root.setLevel(before);
      root.detachAppender(captured);
      captured.stop();
    }
    assertEquals(0, code, "seed " + seed + "\n" + out);
    assertTrue(out.toString().contains(Demo.HELLO), "the demo itself prints the plaintext; only the log must not");

    List<ILoggingEvent> events = List.copyOf(captured.list);
    assertFalse(events.isEmpty(), "DEBUG logging was captured, seed " + seed);
    assertTrue(events.stream().anyMatch(e -> e.getLevel() == Level.DEBUG),
        "at least one DEBUG line shows the level took effect, seed " + seed);
    for (ILoggingEvent event : events) {
      String text = render(event);
      for (String secret : secrets) {
        assertFalse(text.contains(secret), "a secret or plaintext reached the log (seed " + seed + ") in a "
            + event.getLevel() + " line of " + event.getLoggerName());
      }
    }
  }

  /** Everything an appender could write: message, arguments, MDC, exceptions with their causes. */
  private static String render(ILoggingEvent event) {
    StringBuilder text = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
    if (event.getArgumentArray() != null) {
      for (Object argument : event.getArgumentArray()) {
        text.append(' ').append(argument);
      }
    }
    text.append(' ').append(event.getMDCPropertyMap());
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      text.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
      for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
        text.append(' ').append(frame.getSTEAsString());
      }
      for (IThrowableProxy suppressed : t.getSuppressed()) {
        text.append(' ').append(suppressed.getClassName()).append(": ").append(suppressed.getMessage());
      }
    }
    return text.toString();
  }
}
