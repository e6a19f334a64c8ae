package xchat.protocol.nip44;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * NIP-44 encrypt and decrypt cost per message size. Run with {@code java -cp
 * protocol/target/test-classes:protocol/target/classes:$(cat cp.txt) org.openjdk.jmh.Main
 * Nip44Benchmark} or this class's main().
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Nip44Benchmark {
  @Param({"32", "1024", "16384"})
  int size;

  private ConversationKey key;
  private byte[] nonce;
  private String plaintext;
  private String payload;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(1);
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    key = new ConversationKey(raw);
    nonce = new byte[32];
    random.nextBytes(nonce);
    plaintext = "x".repeat(size);
    payload = Nip44.encrypt(plaintext, key, nonce);
  }

  @Benchmark
  public String encrypt() {
    return Nip44.encrypt(plaintext, key, nonce);
  }

  @Benchmark
  public String decrypt() throws Nip44Exception {
    return Nip44.decrypt(payload, key);
  }

  public static void main(String[] args) throws RunnerException {
    new Runner(new OptionsBuilder().include(Nip44Benchmark.class.getSimpleName()).build()).run();
  }
}
