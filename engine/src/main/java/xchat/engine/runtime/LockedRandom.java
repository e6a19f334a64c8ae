package xchat.engine.runtime;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * Makes an injected generator safe to share across the engine's threads. A {@link SecureRandom}
 * is already thread-safe and keeps its own {@code nextBytes}; a seeded generator is serialised, so
 * a single-threaded simulation still replays byte for byte.
 */
public final class LockedRandom implements RandomGenerator {
  private final RandomGenerator delegate;

  private LockedRandom(RandomGenerator delegate) {
    this.delegate = delegate;
  }

  public static RandomGenerator of(RandomGenerator random) {
    return random instanceof SecureRandom || random instanceof LockedRandom ? random : new LockedRandom(random);
  }

  @Override
  public synchronized long nextLong() {
    return delegate.nextLong();
  }

  @Override
  public synchronized void nextBytes(byte[] bytes) {
    delegate.nextBytes(bytes);
  }
}
