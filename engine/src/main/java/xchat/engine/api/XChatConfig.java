package xchat.engine.api;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;
import com.typesafe.config.Config;
import xchat.engine.relay.RelaySettings;
import xchat.engine.transport.RelayTransport;
import xchat.protocol.crypto.Secp256k1;

/**
 * How to open one account on one device. Build it with {@link #builder(Path, char[])}; only the
 * home directory and the passphrase are required. The simulator injects the executor, clock,
 * randomness and curve; in production they default to Pekko's dispatcher, the system clock,
 * {@link SecureRandom} and the native secp256k1 backend.
 *
 * <p>The passphrase array is copied in; {@link #wipe()} clears the copy.
 */
public final class XChatConfig {
  private final Path home;
  private final char[] passphrase;
  private final Optional<String> nsec;
  private final boolean create;
  private final Optional<Executor> executor;
  private final Clock clock;
  private final RandomGenerator random;
  private final Secp256k1 curve;
  private final String deviceLabel;
  private final int requiredAcks;
  private final Duration resyncInterval;
  private final boolean online;
  private final RelaySettings relaySettings;
  private final Duration ingestWindow;
  private final int ingestBatch;
  private final int verifyParallelism;
  private final boolean fastKdfForTests;
  private final Optional<RelayTransport> transport;
  private final Optional<Config> pekkoSettings;
  private final Waiter waiter;
  private final Set<InjectedBug> bugs;

  private XChatConfig(Builder b) {
    this.home = b.home;
    this.passphrase = b.passphrase.clone();
    this.nsec = b.nsec;
    this.create = b.create;
    this.executor = b.executor;
    this.clock = b.clock;
    this.random = b.random;
    this.curve = b.curve;
    this.deviceLabel = b.deviceLabel;
    this.requiredAcks = b.requiredAcks;
    this.resyncInterval = b.resyncInterval;
    this.online = b.online;
    this.relaySettings = b.relaySettings;
    this.ingestWindow = b.ingestWindow;
    this.ingestBatch = b.ingestBatch;
    this.verifyParallelism = b.verifyParallelism;
    this.fastKdfForTests = b.fastKdfForTests;
    this.transport = b.transport;
    this.pekkoSettings = b.pekkoSettings;
    this.waiter = b.waiter;
    this.bugs = java.util.Collections.unmodifiableSet(EnumSet.copyOf(b.bugs));
  }

  /**
   * The relay settings the engine uses unless told otherwise: part 1's defaults with a wider
   * ingest window and larger id batches, so a bootstrap fetches what NIP-77 found missing in
   * fewer round trips.
   */
  public static RelaySettings engineDefaults() {
    RelaySettings d = RelaySettings.DEFAULT;
    return new RelaySettings(d.connectTimeout(), d.backoffBase(), d.backoffCap(), d.stableAfter(),
        d.keepaliveInterval(), d.keepaliveTimeout(), d.authTimeout(), d.okTimeout(), d.maxPublishAttempts(),
        d.maxPendingPublishes(), 512, d.pageSize(), d.maxSyncPages(), d.defaultMaxSubscriptions(), 500,
        d.queryTimeout(), d.limits());
  }

  public static Builder builder(Path home, char[] passphrase) {
    return new Builder(home, passphrase);
  }

  public Path home() {
    return home;
  }

  /** A copy; the caller should wipe it. */
  public char[] passphrase() {
    return passphrase.clone();
  }

  /** The account's secret key (nsec or hex) for a new home; empty to generate one. */
  public Optional<String> nsec() {
    return nsec;
  }

  /** Create the account when the home holds none (otherwise opening an empty home fails). */
  public boolean create() {
    return create;
  }

  public Optional<Executor> executor() {
    return executor;
  }

  public Clock clock() {
    return clock;
  }

  public RandomGenerator random() {
    return random;
  }

  public Secp256k1 curve() {
    return curve;
  }

  public String deviceLabel() {
    return deviceLabel;
  }

  /** Relays that must accept each copy of a message before it counts as sent (default 1). */
  public int requiredAcks() {
    return requiredAcks;
  }

  /**
   * How often each circle reconciles (NIP-77) with the relays it is connected to, on top of the
   * reconciliation at every connection: an event a relay stored but never sent live is fetched
   * within this long. Zero never (default 10 minutes).
   */
  public Duration resyncInterval() {
    return resyncInterval;
  }

  /** False opens the store without connecting to any relay (reading, local edits). */
  public boolean online() {
    return online;
  }

  public RelaySettings relaySettings() {
    return relaySettings;
  }

  /**
   * How long wraps fetched in a catch-up may wait to share a commit. Live wraps and local writes
   * (sends, deletes) never wait; with zero, nothing does (more commits during a catch-up).
   */
  public Duration ingestWindow() {
    return ingestWindow;
  }

  /** Most wraps written in one atomic store batch. */
  public int ingestBatch() {
    return ingestBatch;
  }

  /** Wraps verified and unwrapped at once, on the executor. */
  public int verifyParallelism() {
    return verifyParallelism;
  }

  /** Cheap scrypt parameters for a new store: tests only. */
  public boolean fastKdfForTests() {
    return fastKdfForTests;
  }

  /** The network; empty for WebSocket connections (production). */
  public Optional<RelayTransport> transport() {
    return transport;
  }

  /** Pekko settings that take precedence over the engine's own (e.g. a virtual-time scheduler). */
  public Optional<Config> pekkoSettings() {
    return pekkoSettings;
  }

  /** How the blocking calls of {@link XChat} wait; {@link Waiter#BLOCKING} by default. */
  public Waiter waiter() {
    return waiter;
  }

  /** Bugs switched on for mutation testing; empty in production. */
  public Set<InjectedBug> bugs() {
    return bugs;
  }

  /** Clears this config's copy of the passphrase. */
  public void wipe() {
    Arrays.fill(passphrase, '\0');
  }

  @Override
  public String toString() {
    return "XChatConfig[" + home + ", online=" + online + "]";
  }

  public static final class Builder {
    private final Path home;
    private final char[] passphrase;
    private Optional<String> nsec = Optional.empty();
    private boolean create;
    private Optional<Executor> executor = Optional.empty();
    private Clock clock = Clock.systemUTC();
    private RandomGenerator random = new SecureRandom();
    private Secp256k1 curve = Secp256k1.defaultBackend();
    private String deviceLabel = "xchat device";
    private int requiredAcks = 1;
    private Duration resyncInterval = Duration.ofMinutes(10);
    private boolean online = true;
    private RelaySettings relaySettings = engineDefaults();
    private Duration ingestWindow = Duration.ofMillis(20);
    private int ingestBatch = 512;
    private int verifyParallelism = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);
    private boolean fastKdfForTests;
    private Optional<RelayTransport> transport = Optional.empty();
    private Optional<Config> pekkoSettings = Optional.empty();
    private Waiter waiter = Waiter.BLOCKING;
    private final Set<InjectedBug> bugs = EnumSet.noneOf(InjectedBug.class);

    private Builder(Path home, char[] passphrase) {
      this.home = Objects.requireNonNull(home, "home");
      if (passphrase == null || passphrase.length == 0) {
        throw new IllegalArgumentException("the passphrase must not be empty");
      }
      this.passphrase = passphrase.clone();
    }

    /** Creates the account if the home is empty, from {@code nsec} (nsec1... or hex). */
    public Builder createWith(String nsecOrHex) {
      this.nsec = Optional.of(Objects.requireNonNull(nsecOrHex, "nsec"));
      this.create = true;
      return this;
    }

    /** Creates the account with a fresh key if the home is empty. */
    public Builder createIfMissing() {
      this.create = true;
      return this;
    }

    public Builder executor(Executor executor) {
      this.executor = Optional.of(Objects.requireNonNull(executor, "executor"));
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    public Builder curve(Secp256k1 curve) {
      this.curve = Objects.requireNonNull(curve, "curve");
      return this;
    }

    public Builder deviceLabel(String label) {
      if (label == null || label.isBlank() || label.length() > 64) {
        throw new IllegalArgumentException("a device label is 1..64 characters");
      }
      this.deviceLabel = label;
      return this;
    }

    public Builder requiredAcks(int acks) {
      if (acks < 1) {
        throw new IllegalArgumentException("at least one relay must accept each copy");
      }
      this.requiredAcks = acks;
      return this;
    }

    public Builder resyncInterval(Duration interval) {
      if (interval == null || interval.isNegative()) {
        throw new IllegalArgumentException("the resync interval is zero (never) or positive");
      }
      this.resyncInterval = interval;
      return this;
    }

    public Builder offline() {
      this.online = false;
      return this;
    }

    public Builder relaySettings(RelaySettings settings) {
      this.relaySettings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    public Builder ingest(int batch, Duration window, int parallelism) {
      if (batch < 1 || parallelism < 1 || window == null || window.isNegative()) {
        throw new IllegalArgumentException("ingest needs a positive batch and parallelism, and a window of zero or more");
      }
      this.ingestBatch = batch;
      this.ingestWindow = window;
      this.verifyParallelism = parallelism;
      return this;
    }

    public Builder fastKdfForTests() {
      this.fastKdfForTests = true;
      return this;
    }

    /** Connects through {@code transport} instead of WebSockets (the simulator's network). */
    public Builder transport(RelayTransport transport) {
      this.transport = Optional.of(Objects.requireNonNull(transport, "transport"));
      return this;
    }

    /** Pekko settings layered over the engine's own, e.g. {@code pekko.scheduler.implementation}. */
    public Builder pekkoSettings(Config settings) {
      this.pekkoSettings = Optional.of(Objects.requireNonNull(settings, "settings"));
      return this;
    }

    public Builder waiter(Waiter waiter) {
      this.waiter = Objects.requireNonNull(waiter, "waiter");
      return this;
    }

    /** Switches on known bugs, for the simulator's mutation tests only. */
    public Builder injectBugs(Set<InjectedBug> injected) {
      this.bugs.clear();
      this.bugs.addAll(injected);
      return this;
    }

    public XChatConfig build() {
      XChatConfig config = new XChatConfig(this);
      Arrays.fill(passphrase, '\0');
      return config;
    }
  }
}
