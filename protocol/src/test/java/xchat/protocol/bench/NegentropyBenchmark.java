package xchat.protocol.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import xchat.protocol.nip77.NegentropySession;
import xchat.protocol.nip77.RandomSets;
import xchat.protocol.nip77.SortedVectorStorage;

/**
 * A full in-memory NIP-77 reconciliation, both sides, storages prebuilt. Compare with the C++
 * reference (hoytech/negentropy): 100k items 1% differing, 59 ms, 16 rounds, 875 KB; 1M items 0.1%
 * differing, 453 ms, 17 rounds, 1.25 MB.
 *
 * <pre>
 * mvn -q -pl protocol test-compile dependency:build-classpath -Dmdep.outputFile=$PWD/cp.txt -Dmdep.includeScope=test
 * java -cp protocol/target/test-classes:protocol/target/classes:$(cat cp.txt) \
 *     xchat.protocol.bench.NegentropyBenchmark [large]
 * </pre>
 *
 * or through JMH's own launcher: {@code org.openjdk.jmh.Main NegentropyBenchmark -p items=1000000
 * -p diff=0.001}. Rounds and bytes of each configuration are printed once at setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NegentropyBenchmark {
  private static final long SEED = 0x5eed_0b01L;

  @Param({"100000"})
  int items;

  /** Fraction of items on one side only, split evenly between client and server. */
  @Param({"0.01"})
  double diff;

  @Param({"60000"})
  long frameSizeLimit;

  private SortedVectorStorage client;
  private SortedVectorStorage server;

  @Setup(Level.Trial)
  public void buildStorages() {
    RandomSets.Pair pair = RandomSets.differingBy(SEED, items, diff);
    client = pair.clientStorage();
    server = pair.serverStorage();
    NegentropySession.Stats stats =
        NegentropySession.reconcileInMemory(client, server, frameSizeLimit).stats();
    System.out.printf(
        "%nnegentropy items=%d diff=%s frame=%d: %d rounds, %d bytes up, %d bytes down, "
            + "%d total, have %d, need %d%n",
        items,
        diff,
        frameSizeLimit,
        stats.rounds(),
        stats.bytesClientToServer(),
        stats.bytesServerToClient(),
        stats.totalBytes(),
        stats.haveCount(),
        stats.needCount());
  }

  @Benchmark
  public NegentropySession.Result reconcile() {
    return NegentropySession.reconcileInMemory(client, server, frameSizeLimit);
  }

  /** Short run of the 100k/1% case; with argument {@code large}, the 1M/0.1% case instead. */
  public static void main(String[] args) throws RunnerException {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(NegentropyBenchmark.class.getSimpleName())
            .warmupIterations(3)
            .warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
            .measurementIterations(5)
            .measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
            .forks(1);
    if (args.length > 0 && args[0].equals("large")) {
      options.param("items", "1000000").param("diff", "0.001");
    }
    new Runner(options.build()).run();
  }
}
