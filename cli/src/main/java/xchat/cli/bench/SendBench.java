package xchat.cli.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import xchat.engine.api.MessageHandle;
import xchat.engine.api.SendOutcome;
import xchat.engine.api.XChat;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.keys.KeyPair;
import xchat.relay.server.RelayConfig;
import xchat.relay.server.RelayLimits;
import xchat.relay.server.RelayServer;

/**
 * Sending on loopback: from {@code XChat.send} to SENT, i.e. the rumor stored and queued durably,
 * wrapped for the recipient and for self, published, and every copy acknowledged OK by the relay.
 */
public final class SendBench {
  static final Secp256k1 CURVE = Secp256k1.defaultBackend();
  private static final int WARM_UP = 30;

  public record Options(int sends, int burst, long seed) {
    public Options {
      if (sends < 1 || burst < 1) {
        throw new IllegalArgumentException("sends and burst are at least 1");
      }
    }
  }

  /**
   * @param one latency of each send with nothing else in flight
   * @param burstSeconds time from issuing {@code burst} sends at once to the last SENT
   */
  public record Result(Percentiles one, double oneSeconds, int burst, double burstSeconds) {}

  private final Options options;
  private final Progress progress;

  public SendBench(Options options, Progress progress) {
    this.options = options;
    this.progress = progress;
  }

  public Result measure() throws IOException, InterruptedException, ExecutionException, TimeoutException {
    SplittableRandom random = new SplittableRandom(options.seed());
    KeyPair alice = KeyPair.generate(random.split(), CURVE);
    KeyPair carol = KeyPair.generate(random.split(), CURVE);
    List<String> to = List.of(carol.publicKey().hex());
    RelayServer relay = RelayServer.start(RelayConfig.ephemeral().withLimits(
        RelayLimits.DEFAULT.withRates(RelayLimits.RateLimit.UNLIMITED, RelayLimits.RateLimit.UNLIMITED)));
    try (BenchHome home = new BenchHome("send")) {
      XChat chat = home.open("alice", alice, random);
      try {
        chat.createCircle("bench", List.of(relay.url()));
        progress.phase("warming up: connection and JIT");
        for (int i = 0; i < WARM_UP; i++) {
          sent(chat.send("bench", to, "warm-up " + i));
        }
        progress.phase(String.format("%,d sends, one at a time", options.sends()));
        long[] latencies = new long[options.sends()];
        long oneStart = System.nanoTime();
        for (int i = 0; i < options.sends(); i++) {
          long start = System.nanoTime();
          sent(chat.send("bench", to, "latency " + i));
          latencies[i] = System.nanoTime() - start;
          progress.count(i + 1, options.sends());
        }
        double oneSeconds = (System.nanoTime() - oneStart) / 1e9;

        progress.phase(String.format("%,d sends at once", options.burst()));
        long burstStart = System.nanoTime();
        List<CompletableFuture<SendOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < options.burst(); i++) {
          outcomes.add(chat.send("bench", to, "burst " + i).outcome().toCompletableFuture());
        }
        for (CompletableFuture<SendOutcome> outcome : outcomes) {
          check(outcome.get(2, TimeUnit.MINUTES));
        }
        double burstSeconds = (System.nanoTime() - burstStart) / 1e9;
        progress.done();
        return new Result(new Percentiles(latencies), oneSeconds, options.burst(), burstSeconds);
      } finally {
        chat.close();
      }
    } finally {
      relay.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static void sent(MessageHandle handle) throws InterruptedException, ExecutionException, TimeoutException {
    check(handle.outcome().toCompletableFuture().get(30, TimeUnit.SECONDS));
  }

  private static void check(SendOutcome outcome) {
    if (outcome instanceof SendOutcome.Failed failed) {
      throw new IllegalStateException("a send failed: " + failed.reason());
    }
  }

  public BenchReport report(Result result, String command) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("sends", options.sends());
    parameters.put("burst", options.burst());
    parameters.put("seed", options.seed());
    Percentiles one = result.one();
    double oneRate = one.count() / result.oneSeconds();
    double burstRate = result.burst() / result.burstSeconds();
    return new BenchReport("send", "xchat bench send: wrap, publish and wait for OK on a loopback relay", command,
        parameters, Machine.describe(),
        List.of(
            new BenchReport.Table("send -> SENT, one at a time", List.of("sends", "p50", "p99", "max", "rate"),
                List.of("", "ms", "ms", "ms", "msg/s"),
                List.of(List.of(one.count(), one.millis(50), one.millis(99), one.maxMillis(), oneRate))),
            new BenchReport.Table("send -> SENT, all at once", List.of("sends", "time", "rate"),
                List.of("", "s", "msg/s"),
                List.of(List.of(result.burst(), result.burstSeconds(), burstRate)))),
        List.of(new BenchReport.Chart("Latency, one at a time", "ms", List.of(
                new BenchReport.Bar("p50", "latency", one.millis(50)),
                new BenchReport.Bar("p99", "latency", one.millis(99)),
                new BenchReport.Bar("max", "latency", one.maxMillis()))),
            new BenchReport.Chart("Messages per second", "msg/s", List.of(
                new BenchReport.Bar("one at a time", "rate", oneRate),
                new BenchReport.Bar("all at once", "rate", burstRate)))),
        List.of("A send is timed from XChat.send to SENT: the rumor is stored and queued (fsynced), wrapped once "
                + "for the recipient and once for self, published, and both copies are acknowledged OK.",
            "The relay runs in this process on loopback, fsyncing each write (group commit), without rate limits.",
            WARM_UP + " sends warm up the connection and the JIT first."));
  }
}
