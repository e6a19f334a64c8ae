package xchat.cli;

import java.io.InputStream;
import java.io.PrintWriter;

/** The streams a command reads and writes. */
public record Io(InputStream in, PrintWriter out, PrintWriter err) {}
