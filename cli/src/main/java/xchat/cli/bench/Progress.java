package xchat.cli.bench;

import java.io.PrintWriter;

/**
 * One self-overwriting status line on stderr while a bench runs, only when a person watches
 * ({@link System#console()} is present); silent when the output goes to a file or a pipe.
 */
public final class Progress {
  private static final long MIN_INTERVAL_NANOS = 200_000_000L;

  private final PrintWriter err;
  private final boolean enabled;
  private String phase = "";
  private long lastPrinted;
  private int lastWidth;

  public Progress(PrintWriter err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  /** Shown when stdout and stdin are a terminal. */
  public static Progress forTerminal(PrintWriter err) {
    return new Progress(err, System.console() != null);
  }

  public static Progress quiet() {
    return new Progress(null, false);
  }

  /** A new phase: printed at once. */
  public synchronized void phase(String text) {
    phase = text;
    print(text + "...");
  }

  /** Work done within the phase; printed at most five times a second. */
  public synchronized void count(long done, long total) {
    if (!enabled) {
      return; // the format below would run once per item of a measured loop
    }
    long now = System.nanoTime();
    if (now - lastPrinted < MIN_INTERVAL_NANOS && done < total) {
      return;
    }
    print(String.format("%s... %,d of %,d (%d%%)", phase, done, total, total == 0 ? 100 : done * 100 / total));
  }

  /** Clears the line before the results are printed. */
  public synchronized void done() {
    if (enabled && lastWidth > 0) {
      err.print("\r" + " ".repeat(lastWidth) + "\r");
      err.flush();
      lastWidth = 0;
    }
  }

  private void print(String text) {
    if (!enabled) {
      return;
    }
    lastPrinted = System.nanoTime();
    String line = text.length() > 100 ? text.substring(0, 100) : text;
    err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
    err.flush();
    lastWidth = line.length();
  }
}
