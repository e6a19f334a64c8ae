package xchat.engine.media;

/**
 * The port through which the media cache gets a circle's key. The engine wires it to the circle's
 * key in the encrypted store, so removing the circle's key crypto-shreds its media.
 */
@FunctionalInterface
public interface CacheKeyProvider {
  int KEY_BYTES = 32;

  /**
   * A fresh copy of the circle's 32-byte cache key; the cache zeroes it once used.
   *
   * @throws IllegalStateException when the circle has no key (unknown or shredded)
   */
  byte[] cacheKey(String circleId);
}
