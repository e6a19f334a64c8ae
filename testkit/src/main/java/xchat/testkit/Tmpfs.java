package xchat.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs for full-disk tests, shared by the modules' tests. Mounting needs root (CI runs
 * as root): without it the calling test is skipped and says why.
 */
public final class Tmpfs implements AutoCloseable {
  private final Path mountPoint;

  private Tmpfs(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  /** Mounts a tmpfs of {@code size} (as mount(8) takes it, e.g. {@code 48m}) on an empty directory. */
  public static Tmpfs mountOrSkip(Path emptyDirectory, String size) {
    Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "tmpfs is Linux's");
    String failure = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", emptyDirectory.toString());
    Assumptions.assumeTrue(failure == null, () -> "cannot mount a " + size + " tmpfs (needs root): " + failure);
    return new Tmpfs(emptyDirectory);
  }

  public Path path() {
    return mountPoint;
  }

  /** Grows (or shrinks) the filesystem in place, as when the user frees space. */
  public void resize(String size) {
    String failure = run("mount", "-o", "remount,size=" + size, mountPoint.toString());
    if (failure != null) {
      throw new IllegalStateException("resizing the test's tmpfs to " + size + ": " + failure);
    }
  }

  /** Unmounts lazily, so files a failed test left open do not keep it mounted. */
  @Override
  public void close() {
    String failure = run("umount", "-l", mountPoint.toString());
    if (failure != null) {
      throw new IllegalStateException("unmounting the test's tmpfs: " + failure);
    }
  }

  /** Runs a command; null when it succeeded, else what it printed or why it did not run. */
  private static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return String.join(" ", command) + " did not finish";
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output;
    } catch (IOException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
