package xchat.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RocksResourcesTest {
  @Test
  void cacheShardsAreLargeEnoughForTheBloomFilterOfALargeFile() {
    for (long mib : new long[] {1, 4, 8, 32, 64, 256, 1024}) {
      long bytes = mib << 20;
      int bits = RocksResources.shardBits(bytes);
      assertTrue(bits == 0 || bytes >> bits >= 4L << 20, mib + " MiB gives shards of " + (bytes >> bits) + " bytes");
      assertTrue(bits <= 6, "at most 64 shards, as RocksDB's default");
    }
    assertEquals(3, RocksResources.shardBits(32L << 20), "the default 32 MiB cache: 8 shards of 4 MiB");
  }
}
