package xchat.simulator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xchat.engine.transport.RelayConnection;
import xchat.engine.transport.RelayTransport;
import xchat.engine.transport.RelayUrl;
import xchat.simulator.faults.Fault;
import xchat.simulator.faults.Faults;
import xchat.simulator.report.Trace;
import xchat.simulator.world.Drbg;
import xchat.simulator.world.Node;
import xchat.simulator.world.Sim;
import xchat.simulator.world.World;

class NetworkTest {
  private static final String URL = "ws://relays.sim:7001";
  private final Sim sim = new Sim(World.EPOCH_MILLIS);
  private final Trace trace = new Trace(1000);

  @AfterEach
  void close() {
    sim.close();
  }

  /** A relay that echoes every frame back, and records what reached it. */
  private static final class Echo implements RelayEndpoint {
    final List<String> received = new ArrayList<>();
    boolean up = true;

    @Override
    public String url() {
      return URL;
    }

    @Override
    public boolean up() {
      return up;
    }

    @Override
    public String informationDocument() {
      return "{\"supported_nips\":[1,77]}";
    }

    @Override
    public Socket accept(String device, Client client) {
      return new Socket() {
        @Override
        public boolean receive(String frame) {
          received.add(frame);
          client.frame(frame);
          return true;
        }

        @Override
        public void close() {}
      };
    }
  }

  private static final class Reader implements Flow.Subscriber<String> {
    final List<String> frames = new ArrayList<>();
    Throwable error;

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String item) {
      frames.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
      error = throwable;
    }

    @Override
    public void onComplete() {}
  }

  private RelayConnection connect(RelayTransport transport) throws Exception {
    return sim.await(transport.connect(RelayUrl.of(URL)), Duration.ofSeconds(10));
  }

  @Test
  void framesOfOneSocketArriveInOrderAfterTheirLatency() throws Exception {
    Network network = new Network(sim, new Drbg(3), trace, LatencyModel.DEFAULT, Faults.none());
    Echo relay = new Echo();
    network.addRelay(relay);
    Node node = sim.node("d");
    RelayConnection socket = connect(network.transportFor("d", node));
    Reader reader = new Reader();
    socket.incoming().subscribe(reader);
    long sentAt = sim.now();
    for (int i = 0; i < 100; i++) {
      socket.send("[\"NOTICE\",\"" + i + "\"]");
    }
    sim.runUntil(sim.now() + 60_000);
    assertEquals(100, reader.frames.size(), "seed 3");
    for (int i = 0; i < 100; i++) {
      assertEquals("[\"NOTICE\",\"" + i + "\"]", reader.frames.get(i), "seed 3: in order");
    }
    assertTrue(trace.events().stream().filter(e -> e.kind() == Trace.Kind.FRAME).allMatch(e -> e.at() > sentAt),
        "seed 3: no frame arrives at the instant it was sent");
  }

  @Test
  void aPartitionBreaksTheLinkAndRefusesNewSocketsUntilItHeals() throws Exception {
    Network network = new Network(sim, new Drbg(4), trace, LatencyModel.DEFAULT, Faults.none());
    network.addRelay(new Echo());
    Node node = sim.node("d");
    RelayTransport transport = network.transportFor("d", node);
    RelayConnection socket = connect(transport);
    Reader reader = new Reader();
    socket.incoming().subscribe(reader);
    network.partition("d", URL, false);
    assertTrue(reader.error != null, "seed 4: the socket broke");
    CompletableFuture<RelayConnection> refused = transport.connect(RelayUrl.of(URL)).toCompletableFuture();
    sim.runUntil(sim.now() + 5_000);
    assertTrue(refused.isCompletedExceptionally(), "seed 4: no new socket while cut");
    network.heal("d", URL);
    assertTrue(connect(transport) != null, "seed 4: a socket after healing");
  }

  @Test
  void lossDropsFramesAtItsRate() throws Exception {
    Network network = new Network(sim, new Drbg(5), trace, LatencyModel.DEFAULT, Faults.none().with(Fault.LOSS, 0.2));
    Echo relay = new Echo();
    network.addRelay(relay);
    RelayConnection socket = connect(network.transportFor("d", sim.node("d")));
    for (int i = 0; i < 2_000; i++) {
      socket.send("[\"NOTICE\",\"" + i + "\"]");
    }
    sim.runUntil(sim.now() + 60_000);
    assertEquals(0.8, relay.received.size() / 2_000.0, 0.03, "seed 5");
    assertEquals(Optional.of(true), Optional.of(network.faultsInjected() > 300));
  }
}
