package xchat.simulator.world;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.BootstrapSetup;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.dispatch.ExecutionContexts;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.NostrEvent;
import xchat.relay.server.InProcessRelay;
import xchat.relay.server.RelayConfig;
import xchat.simulator.faults.Fault;
import xchat.simulator.faults.RelayNature;
import xchat.simulator.net.Frames;
import xchat.simulator.net.Network;
import xchat.simulator.net.RelayEndpoint;
import xchat.simulator.report.Trace;

/**
 * One simulated relay: the relay module's real connection logic and store ({@link
 * InProcessRelay}) on its own actor system, on the simulation's thread. It crashes (with or
 * without losing its data) and restarts as a new node on the same directory.
 */
public final class RelayHost implements RelayEndpoint {
  private final Sim sim;
  private final Drbg random;
  private final Secp256k1 curve;
  private final Trace trace;
  private final Network network;
  private final String name;
  private final String url;
  private final Path dataDir;
  private final RelayNature nature;
  private final RelayConfig config;
  private final BiConsumer<RelayHost, NostrEvent> stored;
  private Node node;
  private ActorSystem<Void> system;
  private InProcessRelay relay;
  private int incarnation;
  private int wipes;

  RelayHost(Sim sim, Drbg random, Secp256k1 curve, Trace trace, Network network, String name, String url,
      Path dataDir, RelayNature nature, BiConsumer<RelayHost, NostrEvent> stored) {
    this.sim = sim;
    this.random = random;
    this.curve = curve;
    this.trace = trace;
    this.network = network;
    this.name = name;
    this.url = url;
    this.dataDir = dataDir;
    this.nature = nature;
    this.stored = stored;
    this.config = nature.config(new VirtualClock(sim, 0));
  }

  public String name() {
    return name;
  }

  @Override
  public String url() {
    return url;
  }

  public RelayNature nature() {
    return nature;
  }

  /** How many times this relay lost everything it stored. */
  public int wipes() {
    return wipes;
  }

  @Override
  public boolean up() {
    return relay != null;
  }

  public InProcessRelay relay() {
    return relay;
  }

  void start() {
    node = sim.node(name + "#" + ++incarnation);
    system = ActorSystem.create(Behaviors.empty(), "relay-" + name.replace('.', '-') + "-" + incarnation,
        BootstrapSetup.create(PekkoSettings.standalone(node))
            .withDefaultExecutionContext(ExecutionContexts.fromExecutor(node.executor())));
    relay = InProcessRelay.open(config, dataDir.resolve("db"), url, system, node.executor(),
        random.asSecureRandom(), curve, event -> {
          trace.record(sim.now(), Trace.Kind.STORED, name, null, "stored " + event.id().hex().substring(0, 12)
              + " kind " + event.kind(), event.id().hex(), event.id().hex());
          stored.accept(this, event);
        });
  }

  /** Killed: sockets break, queued work is dropped, what was written stays (unless {@code loseData}). */
  void crash(boolean loseData) {
    if (relay == null) {
      return;
    }
    trace.record(sim.now(), Trace.Kind.FAULT, name, null, loseData ? "crashes and loses its data" : "crashes",
        "crash " + loseData);
    InProcessRelay dying = relay;
    relay = null;
    node.kill();
    network.relayDown(url);
    dying.abandon();
    system = null;
    if (loseData) {
      wipes++;
      Files2.deleteTree(dataDir.resolve("db"));
    }
  }

  void restart() {
    if (relay != null) {
      return;
    }
    trace.record(sim.now(), Trace.Kind.FAULT, name, null, "restarts", "restart");
    start();
  }

  /** Closes the store; the end of the run. */
  void stop() {
    if (relay != null) {
      node.kill();
      relay.abandon();
      relay = null;
    }
  }

  @Override
  public String informationDocument() {
    return relay.informationDocument();
  }

  @Override
  public Socket accept(String device, Client client) {
    InProcessRelay.Connection connection = relay.connect(new InProcessRelay.ClientEnd() {
      @Override
      public void frame(String text) {
        client.frame(text);
      }

      @Override
      public void closed(java.util.Optional<String> reason) {
        client.closed(reason);
      }
    });
    boolean fakeNegentropy = nature.has(Fault.FAKE_NIP77);
    return new Socket() {
      @Override
      public boolean receive(String frame) {
        if (fakeNegentropy && Frames.type(frame).equals("NEG-OPEN")) {
          // Claims NIP-77 in its document, then fails it: with NEG-ERR, or by never answering.
          if (!nature.silentNegentropy()) {
            String id = subscriptionId(frame);
            client.frame("[\"NEG-ERR\",\"" + id + "\",\"error: negentropy is not available here\"]");
          }
          return true;
        }
        return connection.receive(frame);
      }

      @Override
      public void close() {
        connection.close();
      }
    };
  }

  private static String subscriptionId(String frame) {
    int start = frame.indexOf('"', frame.indexOf(',') + 1);
    int end = frame.indexOf('"', start + 1);
    return start < 0 || end < 0 ? "" : frame.substring(start + 1, end);
  }

  /** Every kind-1059 event the relay holds now (for the checker). */
  List<NostrEvent> giftWraps(java.util.Set<xchat.protocol.keys.PublicKey> readers) {
    if (relay == null) {
      return List.of();
    }
    xchat.protocol.filter.Filter filter = xchat.protocol.filter.Filter.builder().kinds(1059).build();
    return new ArrayList<>(relay.store().query(List.of(filter), new xchat.relay.store.Access(readers),
        Integer.MAX_VALUE, Integer.MAX_VALUE));
  }
}
