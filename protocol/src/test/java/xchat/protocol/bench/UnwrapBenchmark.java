package xchat.protocol.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.CanonicalJson;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.nip17.ChatRumors;
import xchat.protocol.nip44.ConversationKey;
import xchat.protocol.nip44.Nip44;
import xchat.protocol.nip59.GiftWrap;
import xchat.protocol.nip59.UnwrapResult;
import xchat.protocol.nip59.Unwrapper;

/**
 * The full unwrap of a NIP-17 gift wrap against its raw crypto floor, in one run: two BIP-340
 * verifies, one ECDH with the wrap's ephemeral key and two NIP-44 decrypts, with the seal's
 * conversation key cached per sender as the unwrapper does.
 *
 * <p>Run (after {@code mvn -q -pl protocol test-compile} and the classpath step of
 * {@link Secp256k1Benchmark}): {@code java -cp
 * protocol/target/test-classes:protocol/target/classes:$(cat protocol/cp.txt)
 * xchat.protocol.bench.UnwrapBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UnwrapBenchmark {
  private static final int WRAPS = 256;
  private static final int SENDERS = 8;

  private final Secp256k1 curve = Secp256k1.defaultBackend();
  private final List<NostrEvent> wraps = new ArrayList<>();
  private final List<NostrEvent> seals = new ArrayList<>();
  private final List<ConversationKey> sealKeys = new ArrayList<>();
  private byte[] recipientSecret;
  private Unwrapper unwrapper;
  private int next;

  @Setup
  public void setUp() {
    Random random = new Random(1059);
    KeyPair recipient = KeyPair.generate(random, curve);
    recipientSecret = recipient.secretKey().bytes();
    GiftWrap giftWrap = new GiftWrap(curve, random, () -> 1_760_000_000L);
    List<KeyPair> senders = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      senders.add(KeyPair.generate(random, curve));
    }
    unwrapper = new Unwrapper(recipient, curve);
    String text = "x".repeat(200);
    for (int i = 0; i < WRAPS; i++) {
      KeyPair sender = senders.get(i % SENDERS);
      Rumor rumor = ChatRumors.chat(sender.publicKey(), List.of(recipient.publicKey()), text + i,
          1_760_000_000L + i, ChatRumors.Options.NONE);
      NostrEvent wrap = giftWrap.sealAndWrap(rumor, sender, recipient.publicKey(), List.of());
      UnwrapResult.Unwrapped opened = (UnwrapResult.Unwrapped) unwrapper.unwrap(wrap);
      wraps.add(wrap);
      seals.add(opened.seal());
      sealKeys.add(Nip44.conversationKey(curve, recipientSecret, sender.publicKey().bytes()));
    }
  }

  @Benchmark
  public UnwrapResult fullUnwrap() {
    return unwrapper.unwrap(wraps.get(next++ & (WRAPS - 1)));
  }

  @Benchmark
  public void cryptoFloor(Blackhole sink) throws Exception {
    int i = next++ & (WRAPS - 1);
    NostrEvent wrap = wraps.get(i);
    NostrEvent seal = seals.get(i);
    sink.consume(curve.verifySchnorr(wrap.sig().bytes(), wrap.id().bytes(), wrap.pubkey().bytes()));
    ConversationKey wrapKey = Nip44.conversationKey(curve, recipientSecret, wrap.pubkey().bytes());
    sink.consume(Nip44.decrypt(wrap.content(), wrapKey));
    sink.consume(curve.verifySchnorr(seal.sig().bytes(), seal.id().bytes(), seal.pubkey().bytes()));
    sink.consume(Nip44.decrypt(seal.content(), sealKeys.get(i)));
  }

  @Benchmark
  public Object canonicalId() {
    NostrEvent wrap = wraps.get(next++ & (WRAPS - 1));
    return CanonicalJson.id(wrap.pubkey(), wrap.createdAt(), wrap.kind(), wrap.tags(), wrap.content());
  }

  @Benchmark
  public Object parseWrap() throws Exception {
    return EventJson.parse(EventJson.toJson(wraps.get(next++ & (WRAPS - 1))));
  }

  public static void main(String[] args) throws RunnerException {
    new Runner(new OptionsBuilder().include(UnwrapBenchmark.class.getSimpleName()).build()).run();
  }
}
