package xchat.engine.media;

import java.io.IOException;

/** A cached file failed authentication: altered, truncated, or written under another key. */
public final class CacheCorruptedException extends IOException {
  private static final long serialVersionUID = 1L;

  public CacheCorruptedException(String message) {
    super(message);
  }

  public CacheCorruptedException(String message, Throwable cause) {
    super(message, cause);
  }
}
