package xchat.simulator.world;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeoutException;
import xchat.engine.api.CircleInfo;
import xchat.engine.api.Conversation;
import xchat.engine.api.EngineEvent;
import xchat.engine.api.Message;
import xchat.engine.api.MessagePage;
import xchat.engine.api.ReadMarker;
import xchat.engine.api.XChat;
import xchat.engine.api.XChatConfig;
import xchat.engine.api.XChatException;
import xchat.engine.relay.RelaySettings;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.PublicKey;
import xchat.simulator.checker.Checker;
import xchat.simulator.checker.DeviceSnapshot;
import xchat.simulator.checker.Oracle;
import xchat.simulator.faults.Fault;
import xchat.simulator.faults.Faults;
import xchat.simulator.faults.RelayNature;
import xchat.simulator.net.Network;
import xchat.simulator.report.Trace;

/**
 * One simulated world: accounts with devices running real engines, relays running the relay
 * module's logic, a virtual network, a workload, faults, and the checker watching. {@link #run}
 * plays it out on the calling thread: chaos, healing, settling, a final sync, then the check.
 */
public final class World implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(World.class);
  /** Virtual time 0 is this wall-clock instant (2024-01-01), so wraps can be backdated two days. */
  public static final long EPOCH_MILLIS = 1_704_067_200_000L;

  private static final char[] PASSPHRASE = "simulated passphrase".toCharArray();
  private static final Secp256k1 CURVE = Secp256k1.defaultBackend();
  static final RelaySettings RELAY_SETTINGS = RelaySettings.DEFAULT.withIngestWindow(256)
      .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(5))
      .withKeepalive(Duration.ofSeconds(10), Duration.ofSeconds(5))
      .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(8));

  final WorldConfig config;
  final Sim sim;
  final Drbg random;
  final Trace trace;
  final Network network;
  final Oracle oracle = new Oracle();
  final Checker checker;
  final Path root;
  private final boolean temporaryRoot;
  final List<KeyPair> accounts = new ArrayList<>();
  final List<List<Device>> devicesByAccount = new ArrayList<>();
  final List<Device> devices = new ArrayList<>();
  final List<RelayHost> relays = new ArrayList<>();
  /** Per circle: its base relays (every account starts with them) and spares (added by edits). */
  final Map<String, List<RelayHost>> circleRelays = new LinkedHashMap<>();
  final Map<String, List<RelayHost>> circleSpares = new LinkedHashMap<>();
  /** Sends that threw, by text: they may still have been queued. */
  final Map<String, Workload.PendingSend> pendingTexts = new HashMap<>();
  private final Map<String, NostrEvent> everStored = new LinkedHashMap<>();
  Chaos chaos;
  boolean healed;
  int sends;
  int deletes;

  public World(WorldConfig config) {
    this.config = config;
    this.sim = new Sim(EPOCH_MILLIS);
    this.random = new Drbg(config.seed());
    this.trace = new Trace(config.traceCapacity());
    sim.beforeTimeAdvances(trace::endInstant);
    this.network = new Network(sim, random, trace, config.latency(), config.faults());
    try {
      if (config.root().isPresent()) {
        this.root = Files.createDirectories(config.root().get().resolve("seed-" + config.seed()));
        this.temporaryRoot = false;
      } else {
        // tmpfs spares the fsyncs, but RocksDB preallocates its logs there in RAM (about 10 MB a
        // store): big worlds go to the disk.
        Path shm = Path.of("/dev/shm");
        this.root = config.devices() <= 200 && Files.isDirectory(shm) && Files.isWritable(shm)
            ? Files.createTempDirectory(shm, "xchat-sim-")
            : Files.createTempDirectory("xchat-sim-");
        this.temporaryRoot = true;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the world's directory", e);
    }
    for (int i = 0; i < config.accounts(); i++) {
      accounts.add(KeyPair.generate(random, CURVE));
      devicesByAccount.add(new ArrayList<>());
    }
    this.checker = new Checker(oracle, CURVE, accounts);
  }

  // ---- Building -----------------------------------------------------------------------------------

  private void build() {
    int perCircle = config.relays() / config.circles();
    int next = 0;
    for (int c = 0; c < config.circles(); c++) {
      String circle = "c" + c;
      int size = c == config.circles() - 1 ? config.relays() - next : perCircle;
      int spares = size >= 3 ? 1 : 0;
      List<RelayHost> base = new ArrayList<>();
      List<RelayHost> spare = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        int index = next++;
        boolean anchor = i == 0;
        RelayNature nature = RelayNature.draw(config.faults(), random, anchor);
        RelayHost relay = new RelayHost(sim, random, CURVE, trace, network, "r" + index,
            "ws://relays.sim:" + (7001 + index), root.resolve("relay-" + index), nature, this::onStored);
        relays.add(relay);
        network.addRelay(relay);
        (i < size - spares ? base : spare).add(relay);
      }
      circleRelays.put(circle, base);
      circleSpares.put(circle, spare);
    }
    for (RelayHost relay : relays) {
      relay.start();
    }
    int perAccount = config.devicesPerAccount();
    for (int d = 0; d < config.devices(); d++) {
      int account = Math.min(d / perAccount, accounts.size() - 1);
      addDevice(account);
    }
    while (devicesByAccount.get(accounts.size() - 1).isEmpty()) {
      addDevice(accounts.size() - 1);
    }
  }

  Device addDevice(int account) {
    List<Device> mine = devicesByAccount.get(account);
    String name = "a" + account + ".d" + mine.size();
    long skew = 0;
    if (random.chance(config.faults().rate(Fault.CLOCK_SKEW))) {
      skew = (long) ((random.nextDouble() * 2 - 1) * 600_000);
    }
    Device device = new Device(name, account, accounts.get(account), root.resolve(name), new VirtualClock(sim, skew));
    mine.add(device);
    devices.add(device);
    if (skew != 0) {
      trace.record(sim.now(), Trace.Kind.FAULT, name, null, "clock off by " + skew + " ms", "skew " + skew);
    }
    return device;
  }

  private void onStored(RelayHost relay, NostrEvent event) {
    if (event.kind() == 1059) {
      everStored.putIfAbsent(event.id().hex(), event);
    }
  }

  // ---- Devices ------------------------------------------------------------------------------------

  /** Opens (or reopens) a device's engine; a first open also adds the circles, as a user would. */
  void open(Device device, boolean first) {
    Node node = device.newIncarnation(sim);
    byte[] secret = device.keys().secretKey().bytes();
    XChatConfig xconfig = XChatConfig.builder(device.home(), PASSPHRASE)
        .createWith(Hex.encode(secret))
        .random(random)
        .clock(device.clock())
        .curve(CURVE)
        .executor(node.executor())
        .transport(network.transportFor(device.name(), node))
        .pekkoSettings(PekkoSettings.forNode(node))
        .waiter(sim.waiter())
        .fastKdfForTests()
        .deviceLabel(device.name())
        .relaySettings(RELAY_SETTINGS)
        .ingest(512, Duration.ofMillis(20), 2)
        .injectBugs(config.bugs())
        .build();
    java.util.Arrays.fill(secret, (byte) 0);
    XChat chat = XChat.open(xconfig);
    xconfig.wipe();
    device.opened(chat, new Listener(device, node));
    trace.record(sim.now(), Trace.Kind.ACTION, device.name(), null, first ? "opens" : "restarts", "open " + first);
    if (first) {
      for (Map.Entry<String, List<RelayHost>> circle : circleRelays.entrySet()) {
        if (!config.circlesOf(device.account()).contains(circle.getKey())) {
          continue;
        }
        try {
          chat.createCircle(circle.getKey(), circle.getValue().stream().map(RelayHost::url).toList());
        } catch (XChatException e) {
          if (e.reason() != XChatException.Reason.CIRCLE_EXISTS) {
            throw e;
          }
        }
      }
    }
  }

  void crash(Device device) {
    if (!device.up()) {
      return;
    }
    trace.record(sim.now(), Trace.Kind.FAULT, device.name(), null, "crashes", "crash");
    network.deviceDown(device.name());
    device.crash();
  }

  void restart(Device device) {
    if (device.up()) {
      return;
    }
    open(device, false);
  }

  /** Feeds one device's engine events to the trace and the checker, on that device's executor. */
  private final class Listener implements Flow.Subscriber<EngineEvent> {
    private final Device device;
    private final Node node;

    Listener(Device device, Node node) {
      this.device = device;
      this.node = node;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(EngineEvent event) {
      if (!node.alive()) {
        return;
      }
      long now = sim.now();
      String name = device.name();
      if (event instanceof EngineEvent.MessageAdded added) {
        Message m = added.message();
        adopt(m);
        trace.engineEvent(now, name, "added " + m.id() + " in " + m.circle(), m.id());
        checker.onAdded(now, name, m);
      } else if (event instanceof EngineEvent.MessageDeleted deleted) {
        trace.engineEvent(now, name, (deleted.expired() ? "expired " : "deleted ") + deleted.messageId(),
            deleted.messageId());
        checker.onDeleted(now, name, deleted.messageId());
      } else if (event instanceof EngineEvent.MessageStatusChanged changed) {
        trace.engineEvent(now, name, "status " + changed.status().messageId() + " " + changed.status().state(),
            changed.status().messageId());
        if (oracle.sent().containsKey(changed.status().messageId())) {
          checker.onStatus(name, changed.status());
        }
      } else if (event instanceof EngineEvent.RelayHealthChanged health) {
        trace.engineEvent(now, name, health.circle() + " " + health.relay() + " " + health.state());
      } else if (event instanceof EngineEvent.CircleChanged changed) {
        trace.engineEvent(now, name, "circle " + changed.name() + (changed.present() ? " present" : " removed"));
      }
    }

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}
  }

  /** A send that threw may still have been queued: its text tells it apart when it shows up. */
  private void adopt(Message m) {
    if (oracle.sent().containsKey(m.id())) {
      return;
    }
    Workload.PendingSend p = pendingTexts.get(m.content());
    if (p != null) {
      oracle.sent(new Oracle.Sent(m.id(), m.circle(), m.conversation(), p.account(), p.device(), p.participants(),
          m.createdAt(), m.expiresAt(), p.at(), false));
    }
  }

  // ---- Running -----------------------------------------------------------------------------------

  /** Plays the world out and checks it. */
  public RunResult run() {
    long wallStart = System.nanoTime();
    build();
    phase("build", wallStart);
    for (Device device : devices) {
      open(device, true);
    }
    phase("open", wallStart);
    Workload workload = new Workload(this);
    workload.schedule();
    chaos = new Chaos(this);
    chaos.schedule();
    long chaosEnd = config.chaos().toMillis();
    sim.runUntil(chaosEnd);
    phase("chaos", wallStart);
    heal();
    sim.runUntil(chaosEnd + config.settle().toMillis());
    phase("settle", wallStart);
    checker.deliveredWithoutSync(sim.now(), snapshots(), heldWraps(), sim.wallMillis() / 1000, maxSkewSeconds());
    finalSync();
    sim.runUntil(sim.now() + 5_000);
    phase("sync", wallStart);
    trace.endInstant();
    List<DeviceSnapshot> snapshots = snapshots();
    phase("snapshots", wallStart);
    Map<String, List<NostrEvent>> held = heldWraps();
    checker.atQuiescence(sim.now(), snapshots, held, sim.wallMillis() / 1000, maxSkewSeconds());
    if (config.scanAtRest()) {
      for (Device device : devices) {
        device.crash(); // closes each store, so its files stay put while they are read
      }
      checker.checkAtRest(sim.now(), snapshots);
    }
    phase("check", wallStart);
    Map<String, Set<String>> wraps = new TreeMap<>();
    if (!checker.violations().isEmpty()) {
      everStored.values().forEach(checker::learn);
      checker.violations().forEach(v -> v.refs().forEach(ref -> wraps.put(ref, checker.wrapsOf(ref))));
    }
    String hash = trace.hash();
    Map<String, String> relayInfo = new LinkedHashMap<>();
    relays.forEach(r -> relayInfo.put(r.name(), r.url() + " " + r.nature() + (r.wipes() > 0 ? " wiped x" + r.wipes() : "")));
    return new RunResult(config, hash, checker.violations(), sim.now(), trace.count(), sim.tasksRun(),
        network.framesDelivered(), network.faultsInjected(), checker.checks(), sends, deletes,
        (System.nanoTime() - wallStart) / 1_000_000, sim.foreignSubmissions(), sim.foreignTasks(), trace.events(),
        devices.stream().map(Device::name).toList(), relayInfo, wraps);
  }

  private long maxSkewSeconds() {
    return devices.stream().mapToLong(d -> Math.abs(d.clock().skewMillis())).max().orElse(0) / 1000 + 1;
  }

  /** Per relay URL, the gift wraps it holds for the accounts now. */
  private Map<String, List<NostrEvent>> heldWraps() {
    Map<String, List<NostrEvent>> held = new TreeMap<>();
    Set<PublicKey> readers = new java.util.HashSet<>();
    accounts.forEach(k -> readers.add(k.publicKey()));
    for (RelayHost relay : relays) {
      held.put(relay.url(), relay.giftWraps(readers));
    }
    return held;
  }

  /** Where a run's wall time goes ({@code XCHAT_LOG=info} shows it on the command line). */
  private void phase(String name, long start) {
    if (LOG.isInfoEnabled()) {
      LOG.info("seed {} {} done at {} ms wall, {} virtual ms, {} tasks", config.seed(), name,
          (System.nanoTime() - start) / 1_000_000, sim.now(), sim.tasksRun());
    }
  }

  /** Ends every fault that heals: links, crashed nodes, frame faults. Relays keep their nature. */
  void heal() {
    healed = true;
    trace.record(sim.now(), Trace.Kind.FAULT, "world", null, "faults heal", "heal");
    network.faults(config.faults().healed());
    network.healAll();
    for (RelayHost relay : relays) {
      relay.restart();
    }
    for (Device device : devices) {
      restart(device);
    }
  }

  private void finalSync() {
    List<CompletableFuture<?>> syncs = new ArrayList<>();
    for (Device device : devices) {
      if (device.up()) {
        syncs.add(device.chat().syncAll(Duration.ofSeconds(60)).toCompletableFuture());
      }
    }
    try {
      sim.await(CompletableFuture.allOf(syncs.toArray(CompletableFuture[]::new)), Duration.ofSeconds(120));
    } catch (ExecutionException | TimeoutException e) {
      trace.record(sim.now(), Trace.Kind.CHECK, "world", null, "final sync did not finish: " + e, "sync failed");
    }
  }

  private List<DeviceSnapshot> snapshots() {
    List<DeviceSnapshot> out = new ArrayList<>();
    for (Device device : devices) {
      if (!device.up()) {
        continue;
      }
      XChat chat = device.chat();
      Map<String, Map<String, List<Message>>> messages = new TreeMap<>();
      Map<String, List<String>> relayLists = new TreeMap<>();
      Map<String, List<String>> fileServers = new TreeMap<>();
      Map<String, Optional<ReadMarker>> reads = new TreeMap<>();
      for (CircleInfo circle : chat.circles()) {
        relayLists.put(circle.name(), circle.relays());
        fileServers.put(circle.name(), circle.fileServers());
        Map<String, List<Message>> conversations = new TreeMap<>();
        for (Conversation conversation : chat.conversations(circle.name())) {
          List<Message> all = new ArrayList<>();
          Optional<String> cursor = Optional.empty();
          do {
            MessagePage page = chat.messages(circle.name(), conversation.id(), cursor, 500);
            all.addAll(page.messages());
            cursor = page.next();
          } while (cursor.isPresent());
          conversations.put(conversation.id(), all);
          reads.put(circle.name() + "/" + conversation.id(), chat.readMarker(circle.name(), conversation.id()));
        }
        messages.put(circle.name(), conversations);
      }
      out.add(new DeviceSnapshot(device.name(), device.account(), messages, relayLists, fileServers, reads,
          device.home()));
    }
    return out;
  }

  @Override
  public void close() {
    for (Device device : devices) {
      device.crash();
    }
    for (RelayHost relay : relays) {
      relay.stop();
    }
    sim.close();
    if (temporaryRoot) {
      Files2.deleteTree(root);
    }
  }

  public Sim sim() {
    return sim;
  }

  public Faults faults() {
    return config.faults();
  }
}
