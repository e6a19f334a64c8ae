package xchat.cli;

import java.io.Console;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import xchat.engine.api.XChat;
import xchat.engine.api.XChatConfig;

/** Opens the account in {@code --home} for the commands that use the engine. */
final class Home {
  static final String PASSPHRASE_ENV = "XCHAT_PASSPHRASE";
  /** In-process callers (tests) may set this instead of the environment variable. */
  static final String PASSPHRASE_PROPERTY = "xchat.passphrase";

  private Home() {}

  static Path require(Main main) {
    if (main.home == null) {
      throw new UsageException("this command needs --home DIR (one directory per device)");
    }
    return main.home;
  }

  static char[] passphrase(boolean confirm) {
    String text = System.getenv(PASSPHRASE_ENV);
    if (text == null) {
      text = System.getProperty(PASSPHRASE_PROPERTY);
    }
    if (text != null) {
      if (text.isEmpty()) {
        throw new UsageException("$" + PASSPHRASE_ENV + " is empty");
      }
      return text.toCharArray();
    }
    Console console = System.console();
    if (console == null) {
      throw new UsageException("no passphrase: set $" + PASSPHRASE_ENV + " or run in a terminal");
    }
    char[] first = console.readPassword("Passphrase: ");
    if (first == null || first.length == 0) {
      throw new UsageException("the passphrase must not be empty");
    }
    if (confirm) {
      char[] second = console.readPassword("Passphrase again: ");
      boolean same = Arrays.equals(first, second);
      if (second != null) {
        Arrays.fill(second, '\0');
      }
      if (!same) {
        Arrays.fill(first, '\0');
        throw new UsageException("the passphrases differ");
      }
    }
    return first;
  }

  /** The engine for this home; {@code online} connects to the circles' relays. */
  static XChat open(Main main, boolean online) {
    Path home = require(main);
    char[] passphrase = passphrase(false);
    try {
      XChatConfig.Builder builder = XChatConfig.builder(home, passphrase).deviceLabel("xchat cli");
      if (!online) {
        builder.offline();
      }
      return XChat.open(builder.build());
    } finally {
      Arrays.fill(passphrase, '\0');
    }
  }

  /** Parses 30s, 2m, 500ms, 1h. */
  static Duration duration(String text) {
    String t = text.strip().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      return switch (t.charAt(t.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new NumberFormatException();
      };
    } catch (RuntimeException e) {
      throw new UsageException("'" + text + "' is not a duration like 30s, 2m or 500ms");
    }
  }
}
