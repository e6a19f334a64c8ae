package xchat.protocol.bench;

import java.util.Random;
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
import org.openjdk.jmh.runner.options.OptionsBuilder;
import xchat.protocol.crypto.BouncyCastleSecp256k1;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.crypto.Secp256k1Backends;

/**
 * BIP-340 sign/verify and x-only ECDH per backend, 32-byte messages (event ids).
 *
 * <p>Run: {@code mvn -q -pl protocol dependency:build-classpath -Dmdep.outputFile=cp.txt
 * -Dmdep.includeScope=test && mvn -q -pl protocol test-compile && java -cp
 * protocol/target/test-classes:protocol/target/classes:$(cat protocol/cp.txt)
 * org.openjdk.jmh.Main Secp256k1Benchmark -wi 2 -i 3 -f 1 -w 1s -r 1s}, or run this class's
 * {@link #main} with the same classpath for a short default run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class Secp256k1Benchmark {

  private static final long SEED = 0x5ec9256b1L;

  @Param({"native", "bc"})
  public String backend;

  private Secp256k1 secp;
  private byte[] secretKey;
  private byte[] peerPublicKey;
  private byte[] publicKey;
  private byte[] message;
  private byte[] aux;
  private byte[] signature;

  @Setup(Level.Trial)
  public void setUp() {
    secp =
        backend.equals("bc")
            ? BouncyCastleSecp256k1.instance()
            : Secp256k1Backends.nativeBackend().orElseThrow();
    Random random = new Random(SEED);
    secretKey = randomSecretKey(random);
    peerPublicKey = secp.xOnlyPublicKey(randomSecretKey(random));
    publicKey = secp.xOnlyPublicKey(secretKey);
    message = bytes(random, 32);
    aux = bytes(random, 32);
    signature = secp.signSchnorr(message, secretKey, aux);
    if (!secp.verifySchnorr(signature, message, publicKey)) {
      throw new IllegalStateException(backend + " cannot verify its own signature");
    }
  }

  @Benchmark
  public byte[] sign() {
    return secp.signSchnorr(message, secretKey, aux);
  }

  @Benchmark
  public boolean verify() {
    return secp.verifySchnorr(signature, message, publicKey);
  }

  @Benchmark
  public byte[] ecdh() {
    return secp.ecdhXOnly(secretKey, peerPublicKey);
  }

  private byte[] randomSecretKey(Random random) {
    byte[] key;
    do {
      key = bytes(random, 32);
    } while (!secp.isValidSecretKey(key));
    return key;
  }

  private static byte[] bytes(Random random, int length) {
    byte[] out = new byte[length];
    random.nextBytes(out);
    return out;
  }

  public static void main(String[] args) throws RunnerException {
    new Runner(
            new OptionsBuilder().include(Secp256k1Benchmark.class.getSimpleName()).build())
        .run();
  }
}
