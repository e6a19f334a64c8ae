package xchat.persistence.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import xchat.persistence.CircleId;
import xchat.persistence.EncryptedStore;
import xchat.persistence.PlainRocks;
import xchat.persistence.StoreBatch;
import xchat.persistence.StoreOptions;
import xchat.persistence.SyncMode;
import xchat.persistence.crypto.ScryptParams;
import xchat.persistence.log.ConversationId;
import xchat.persistence.log.MessageCursor;
import xchat.persistence.log.MessagePage;
import xchat.protocol.event.EventId;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.Rumor;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.keys.PublicKey;

/**
 * The persistence figures of issue 3, in one run:
 *
 * <ul>
 *   <li>{@code append*}: batches of {@value #BATCH} rumors of about 1 KB (JSON), WAL on, in both
 *       sync modes; {@code plainPuts} writes the same JSON bytes unencrypted and unindexed to a
 *       RocksDB opened with the store's own options ({@link PlainRocks}). Scores are records per second.
 *   <li>{@code pageRead*}: 50 messages of one conversation among {@code storedMessages}.
 *   <li>{@code negentropyIteration}: NIP-77 items per second over one circle.
 * </ul>
 *
 * <p>The append benchmarks warm up for 16 s: on a loaded 2-core machine C2 compiles the crypto and
 * serialisation paths late (GHASH ran interpreted well into a 6 s warmup), while the plain
 * baseline is mostly native code and is at speed at once.
 *
 * <p>Run: {@code java -cp persistence/target/test-classes:persistence/target/classes:$(cat
 * persistence/target/cp.txt) xchat.persistence.bench.StoreBench} (see README.md for cp.txt).
 */
public class StoreBench {
  static final int BATCH = 100;
  static final char[] PASSPHRASE = "bench".toCharArray();

  static StoreOptions options(SyncMode mode) {
    return StoreOptions.defaults().withScrypt(ScryptParams.TEST_ONLY).withSyncMode(mode);
  }

  /** About 1 KB of JSON each; distinct ids. */
  public static List<Rumor> rumors(Random random, int count, long firstCreatedAt) {
    List<Rumor> out = new ArrayList<>(count);
    byte[] key = new byte[32];
    for (int i = 0; i < count; i++) {
      random.nextBytes(key);
      PublicKey author = new PublicKey(key);
      random.nextBytes(key);
      String content = text(random, 820);
      out.add(Rumor.of(new UnsignedEvent(author, firstCreatedAt + i, 14, Tags.of(Tag.of("p", new PublicKey(key).hex())), content)));
    }
    return out;
  }

  static String text(Random random, int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = (char) ('a' + random.nextInt(26));
    }
    return new String(chars);
  }

  static void deleteRecursively(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  // ------------------------------------------------------------------ append

  @State(Scope.Thread)
  public static class AppendState {
    @Param({"PER_BATCH", "GROUP_COMMIT"})
    public SyncMode mode;

    Path dir;
    EncryptedStore store;
    List<Rumor> rumors;
    List<byte[]> json;
    ConversationId conversation;
    CircleId circle;
    int circles;
    int next;

    // Raw RocksDB with the store's options, for the unencrypted baseline.
    PlainRocks plain;
    long plainSeq;

    @Setup(Level.Trial)
    public void setUp() throws IOException, RocksDBException {
      Random random = new Random(1);
      rumors = rumors(random, 20_000, 1_700_000_000L);
      json = rumors.stream().map(r -> EventJson.toJson(r).getBytes(StandardCharsets.UTF_8)).toList();
      conversation = new ConversationId(new byte[] {1, 2, 3});
      dir = Files.createTempDirectory("xchat-bench-append");
      store = EncryptedStore.create(dir.resolve("store"), PASSPHRASE, options(mode));
      nextCircle();

      plain = new PlainRocks(dir.resolve("plain"), options(mode));
    }

    void nextCircle() {
      // Each pass over the prepared rumors goes to a fresh circle, so none is a duplicate.
      circle = CircleId.of("bench-" + circles++);
      store.createCircle(circle);
      next = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      store.close();
      plain.close();
      deleteRecursively(dir);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  @Warmup(iterations = 4, time = 4)
  @Measurement(iterations = 3, time = 4)
  @Fork(1)
  public Object appendMessages(AppendState state) {
    if (state.next + BATCH > state.rumors.size()) {
      state.nextCircle();
    }
    StoreBatch batch = state.store.batch();
    for (int i = 0; i < BATCH; i++) {
      batch.appendMessage(state.circle, state.conversation, state.rumors.get(state.next++));
    }
    return batch.commit();
  }

  /** The full ingest shape: each rumor with the wrap it came in (dedup and NIP-77 indexes). */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  @Warmup(iterations = 4, time = 4)
  @Measurement(iterations = 3, time = 4)
  @Fork(1)
  public Object appendWithWrapIndexes(AppendState state) {
    if (state.next + BATCH > state.rumors.size()) {
      state.nextCircle();
    }
    StoreBatch batch = state.store.batch();
    for (int i = 0; i < BATCH; i++) {
      Rumor rumor = state.rumors.get(state.next++);
      EventId wrapId = rumor.id(); // any distinct id will do for the indexes' cost
      batch.recordEvent(state.circle, wrapId, rumor.event().createdAt() - 3600);
      batch.appendMessage(state.circle, state.conversation, rumor, Optional.of(wrapId));
    }
    return batch.commit();
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  @Warmup(iterations = 4, time = 4)
  @Measurement(iterations = 3, time = 4)
  @Fork(1)
  public void plainPuts(AppendState state) throws RocksDBException {
    try (WriteBatch batch = new WriteBatch()) {
      byte[] key = new byte[8];
      for (int i = 0; i < BATCH; i++) {
        long seq = ++state.plainSeq;
        for (int b = 7; b >= 0; b--) {
          key[b] = (byte) (seq >>> (8 * (7 - b)));
        }
        batch.put(state.plain.values(), key, state.json.get((int) (seq % state.json.size())));
      }
      state.plain.write(batch);
    }
  }

  // ------------------------------------------------------------------ page reads

  @State(Scope.Benchmark)
  public static class PageState {
    @Param({"100000"})
    public int storedMessages;

    /** Messages in the conversation that is paged. */
    static final int CONVERSATION_SIZE = 2_000;

    Path dir;
    EncryptedStore store;
    CircleId circle = CircleId.of("paging");
    ConversationId target = new ConversationId(new byte[] {42});
    List<MessageCursor> cursors = new ArrayList<>();
    int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      dir = Files.createTempDirectory("xchat-bench-page");
      store = EncryptedStore.create(dir.resolve("store"), PASSPHRASE, options(SyncMode.GROUP_COMMIT));
      store.createCircle(circle);
      Random random = new Random(2);
      int stride = Math.max(1, storedMessages / CONVERSATION_SIZE);
      int written = 0;
      while (written < storedMessages) {
        int count = Math.min(1_000, storedMessages - written);
        List<Rumor> chunk = rumors(random, count, 1_600_000_000L + written);
        StoreBatch batch = store.batch();
        for (int i = 0; i < count; i++) {
          int index = written + i;
          // Interleaved with the others, as real conversations are.
          boolean inTarget = index % stride == 0;
          ConversationId conversation = inTarget ? target : new ConversationId(new byte[] {(byte) (index % 97), 1});
          batch.appendMessage(circle, conversation, chunk.get(i));
          if (inTarget) {
            cursors.add(new MessageCursor(chunk.get(i).event().createdAt(), chunk.get(i).id()));
          }
        }
        batch.commit();
        written += count;
      }
      store.flushWal();
      // Page starts spread over the whole conversation, excluding the last 50.
      cursors = new ArrayList<>(cursors.subList(0, Math.max(1, cursors.size() - 50)));
      java.util.Collections.shuffle(cursors, random);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      store.close();
      deleteRecursively(dir);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 2, time = 3)
  @Measurement(iterations = 3, time = 4)
  @Fork(1)
  public MessagePage pageReadFromCursor(PageState state) {
    MessageCursor cursor = state.cursors.get(state.next++ % state.cursors.size());
    MessagePage page = state.store.messages(state.circle, state.target, Optional.of(cursor), 50);
    if (page.messages().size() != 50) {
      throw new IllegalStateException("short page: " + page.messages().size());
    }
    return page;
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 2, time = 3)
  @Measurement(iterations = 3, time = 4)
  @Fork(1)
  public MessagePage pageReadLatest(PageState state) {
    return state.store.messagesBefore(state.circle, state.target, Optional.empty(), 50);
  }

  // ------------------------------------------------------------------ negentropy

  @State(Scope.Benchmark)
  public static class NegentropyState {
    @Param({"200000"})
    public int items;

    Path dir;
    EncryptedStore store;
    CircleId circle = CircleId.of("negentropy");

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      dir = Files.createTempDirectory("xchat-bench-negentropy");
      store = EncryptedStore.create(dir.resolve("store"), PASSPHRASE, options(SyncMode.GROUP_COMMIT));
      store.createCircle(circle);
      Random random = new Random(3);
      byte[] id = new byte[32];
      for (int written = 0; written < items; written += 10_000) {
        StoreBatch batch = store.batch();
        for (int i = 0; i < 10_000; i++) {
          random.nextBytes(id);
          // NIP-59 wraps: created_at randomised over two days.
          batch.recordEvent(circle, new EventId(id), 1_700_000_000L - random.nextInt(172_800));
        }
        batch.commit();
      }
      store.flushWal();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      store.close();
      deleteRecursively(dir);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(200_000)
  @Warmup(iterations = 2, time = 3)
  @Measurement(iterations = 3, time = 4)
  @Fork(1)
  public long negentropyIteration(NegentropyState state, Blackhole sink) {
    if (state.items != 200_000) {
      throw new IllegalStateException("@OperationsPerInvocation assumes 200000 items");
    }
    long[] count = {0};
    state.store.forEachNegentropyItem(state.circle, 0, Long.MAX_VALUE, (createdAt, id) -> {
      sink.consume(id);
      count[0]++;
    });
    return count[0];
  }

  public static void main(String[] args) throws RunnerException {
    new Runner(new OptionsBuilder().include(StoreBench.class.getSimpleName() + (args.length > 0 ? "." + args[0] : "")).build()).run();
  }
}
