package xchat.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
  @Test
  void groupsThreadsByTheirTruncatedLinuxNames() {
    assertEquals(ThreadCpu.ENGINE, ThreadCpu.group("xchat-pekko.act"));
    assertEquals(ThreadCpu.ENGINE, ThreadCpu.group("HttpClient-1-Se"));
    assertEquals(ThreadCpu.ENGINE, ThreadCpu.group("xchat-store-wal"));
    assertEquals(ThreadCpu.RELAY, ThreadCpu.group("xchat-relay-3-p"));
    assertEquals(ThreadCpu.RELAY, ThreadCpu.group("relay-store-wri"));
    assertEquals(ThreadCpu.JIT, ThreadCpu.group("C2 CompilerThre"));
    assertEquals(ThreadCpu.GC, ThreadCpu.group("GC Thread#1"));
    assertEquals(ThreadCpu.ROCKSDB, ThreadCpu.group("rocksdb:low"));
    assertEquals(ThreadCpu.OTHER, ThreadCpu.group("VM Thread"));
  }

  @Test
  void countsWhatEachGroupSpentSinceAnEarlierSnapshotAndNewThreadsWhole() {
    ThreadCpu before = new ThreadCpu(Map.of(
        "1", new ThreadCpu.Group(ThreadCpu.ENGINE, 100),
        "2", new ThreadCpu.Group(ThreadCpu.JIT, 50),
        "3", new ThreadCpu.Group(ThreadCpu.RELAY, 70)));
    ThreadCpu after = new ThreadCpu(Map.of(
        "1", new ThreadCpu.Group(ThreadCpu.ENGINE, 160),
        "2", new ThreadCpu.Group(ThreadCpu.JIT, 50),
        "4", new ThreadCpu.Group(ThreadCpu.ENGINE, 30)));
    Map<String, Long> spent = after.since(before);
    assertEquals(List.copyOf(ThreadCpu.GROUPS), List.copyOf(spent.keySet()));
    assertEquals(90L, spent.get(ThreadCpu.ENGINE), "60 more on thread 1, 30 on the new thread 4");
    assertEquals(0L, spent.get(ThreadCpu.JIT));
    assertEquals(0L, spent.get(ThreadCpu.RELAY), "thread 3 ended: its time is gone with it");
  }

  @Test
  void readsThisProcessOnLinux() {
    ThreadCpu now = ThreadCpu.now();
    if (System.getProperty("os.name").startsWith("Linux")) {
      assertTrue(now.byThread().values().stream().anyMatch(g -> g.name().equals(ThreadCpu.JIT)), now.toString());
    }
  }
}
