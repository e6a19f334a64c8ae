package xchat.simulator.net;

import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import xchat.engine.transport.RelayConnection;
import xchat.engine.transport.RelayInfo;
import xchat.engine.transport.RelayInfoJson;
import xchat.engine.transport.RelayInfoParseException;
import xchat.engine.transport.RelayTransport;
import xchat.engine.transport.RelayUrl;
import xchat.simulator.faults.Fault;
import xchat.simulator.faults.Faults;
import xchat.simulator.report.Trace;
import xchat.simulator.world.Drbg;
import xchat.simulator.world.Node;
import xchat.simulator.world.Sim;

/**
 * The virtual network between devices and relays. Each socket carries frames one way after a
 * sampled latency, in order unless a fault reorders them; frames can be lost or duplicated, a
 * socket can break, and a device-relay link can be partitioned (its sockets break and new ones
 * are refused) or blackholed (frames vanish, sockets stay open until keepalive notices) until it
 * heals. Every fault is drawn from the world's one generator and written to the trace.
 */
public final class Network {
  private final Sim sim;
  private final Drbg random;
  private final Trace trace;
  private final LatencyModel latency;
  private Faults faults;
  private final Map<String, RelayEndpoint> relays = new LinkedHashMap<>();
  private final Map<String, Long> baseLatency = new HashMap<>();
  private final Map<String, Boolean> partitions = new LinkedHashMap<>();
  private final Map<Long, Link> links = new LinkedHashMap<>();
  private long linkIds;
  private long framesDelivered;
  private long faultsInjected;

  public Network(Sim sim, Drbg random, Trace trace, LatencyModel latency, Faults faults) {
    this.sim = sim;
    this.random = random;
    this.trace = trace;
    this.latency = latency;
    this.faults = faults;
  }

  public void addRelay(RelayEndpoint relay) {
    relays.put(relay.url(), relay);
  }

  /** Changes the frame-level fault rates; healing sets them to zero. */
  public void faults(Faults next) {
    this.faults = next;
  }

  public long framesDelivered() {
    return framesDelivered;
  }

  public long faultsInjected() {
    return faultsInjected;
  }

  /** The transport one device's engine uses; {@code node} is its current incarnation. */
  public RelayTransport transportFor(String device, Node node) {
    return new RelayTransport() {
      @Override
      public CompletionStage<RelayConnection> connect(RelayUrl url) {
        return Network.this.connect(device, node, url.value());
      }

      @Override
      public CompletionStage<RelayInfo> fetchInfo(RelayUrl url) {
        return Network.this.fetchInfo(device, url.value());
      }
    };
  }

  // ---- Partitions --------------------------------------------------------------------------------

  private static String linkKey(String device, String url) {
    return device + " " + url;
  }

  /**
   * Cuts the link: a reset partition breaks its sockets now, a blackhole lets them hang. New
   * connections are refused either way until {@link #heal}.
   */
  public void partition(String device, String url, boolean blackhole) {
    partitions.put(linkKey(device, url), blackhole);
    faultsInjected++;
    trace.record(sim.now(), Trace.Kind.FAULT, device, url, (blackhole ? "blackhole" : "partition") + " starts",
        "partition " + blackhole);
    if (!blackhole) {
      for (Link link : new ArrayList<>(links.values())) {
        if (link.device.equals(device) && link.url.equals(url)) {
          breakLink(link, "network partition");
        }
      }
    }
  }

  public void heal(String device, String url) {
    if (partitions.remove(linkKey(device, url)) != null) {
      trace.record(sim.now(), Trace.Kind.FAULT, device, url, "link heals", "heal");
      for (Link link : new ArrayList<>(links.values())) {
        if (link.tainted && link.device.equals(device) && link.url.equals(url)) {
          breakLink(link, "timed out while the link was down");
        }
      }
    }
  }

  /**
   * Heals every link and ends every socket that lost, doubled or reordered a frame: TCP hides
   * those from the application, so a socket that showed one stood for a broken path, and a real
   * connection over it would have been torn down by now.
   */
  public void healAll() {
    for (String key : new ArrayList<>(partitions.keySet())) {
      int space = key.indexOf(' ');
      heal(key.substring(0, space), key.substring(space + 1));
    }
    for (Link link : new ArrayList<>(links.values())) {
      if (link.tainted) {
        breakLink(link, "reset after the network healed");
      }
    }
  }

  private boolean cut(String device, String url) {
    return partitions.containsKey(linkKey(device, url));
  }

  private boolean blackholed(String device, String url) {
    return Boolean.TRUE.equals(partitions.get(linkKey(device, url)));
  }

  // ---- Node failures ------------------------------------------------------------------------------

  /** A relay crashed: every socket to it breaks at the client's end. */
  public void relayDown(String url) {
    for (Link link : new ArrayList<>(links.values())) {
      if (link.url.equals(url)) {
        link.relayGone = true;
        breakLink(link, "the relay went away");
      }
    }
  }

  /** A device crashed: the relays see its sockets close. */
  public void deviceDown(String device) {
    for (Link link : new ArrayList<>(links.values())) {
      if (link.device.equals(device)) {
        link.clientGone = true;
        breakLink(link, "the device went away");
      }
    }
  }

  // ---- Connections --------------------------------------------------------------------------------

  private long delay(String device, String url) {
    long base = baseLatency.computeIfAbsent(linkKey(device, url), k -> latency.base(random));
    long sampled = latency.sample(base, random);
    if (random.chance(faults.rate(Fault.LATENCY_SPIKE))) {
      faultsInjected++;
      sampled += 500 + (long) (random.nextDouble() * 4500);
    }
    return sampled;
  }

  private CompletionStage<RelayConnection> connect(String device, Node node, String url) {
    CompletableFuture<RelayConnection> result = new CompletableFuture<>();
    long rtt = delay(device, url) + delay(device, url);
    sim.schedule(null, rtt, () -> {
      RelayEndpoint relay = relays.get(url);
      if (!node.alive()) {
        return;
      }
      if (relay == null || !relay.up() || cut(device, url)) {
        String why = relay == null ? "unknown host" : !relay.up() ? "connection refused" : "unreachable";
        trace.record(sim.now(), Trace.Kind.CONNECT_FAILED, device, url, why, why);
        result.completeExceptionally(new ConnectException(url + ": " + why));
        return;
      }
      Link link = new Link(++linkIds, device, node, url);
      links.put(link.id, link);
      trace.record(sim.now(), Trace.Kind.CONNECT, device, url, "socket " + link.id, "socket " + link.id);
      link.socket = relay.accept(device, link.fromRelay());
      result.complete(link.client);
    });
    return result;
  }

  private CompletionStage<RelayInfo> fetchInfo(String device, String url) {
    CompletableFuture<RelayInfo> result = new CompletableFuture<>();
    long rtt = delay(device, url) + delay(device, url);
    sim.schedule(null, rtt, () -> {
      RelayEndpoint relay = relays.get(url);
      if (relay == null || !relay.up() || cut(device, url)) {
        result.completeExceptionally(new ConnectException(url + ": no NIP-11 document"));
        return;
      }
      try {
        result.complete(RelayInfoJson.parse(relay.informationDocument()));
      } catch (RelayInfoParseException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  private void breakLink(Link link, String reason) {
    if (link.broken) {
      return;
    }
    link.broken = true;
    links.remove(link.id);
    trace.record(sim.now(), Trace.Kind.DISCONNECT, link.device, link.url, "socket " + link.id + " breaks: " + reason,
        "break " + link.id + " " + reason);
    if (!link.relayGone && link.socket != null) {
      link.socket.close();
    }
    if (!link.clientGone) {
      link.client.fail(new IOException(reason));
    }
  }

  /** Sends one frame across the link, with the frame-level faults. */
  private void transmit(Link link, boolean toRelay, String frame) {
    String from = toRelay ? link.device : link.url;
    String to = toRelay ? link.url : link.device;
    if (blackholed(link.device, link.url) || random.chance(faults.rate(Fault.LOSS))) {
      faultsInjected++;
      link.tainted = true;
      trace.record(sim.now(), Trace.Kind.LOST, from, to, Frames.summary(frame), frame, Frames.refs(frame));
      return;
    }
    if (random.chance(faults.rate(Fault.RESET))) {
      faultsInjected++;
      breakLink(link, "connection reset");
      return;
    }
    int copies = random.chance(faults.rate(Fault.DUPLICATION)) ? 2 : 1;
    if (copies == 2) {
      faultsInjected++;
      link.tainted = true;
      trace.record(sim.now(), Trace.Kind.DUPLICATED, from, to, Frames.summary(frame), frame, Frames.refs(frame));
    }
    for (int i = 0; i < copies; i++) {
      long at = sim.now() + delay(link.device, link.url);
      boolean reordered = random.chance(faults.rate(Fault.REORDER));
      if (reordered) {
        faultsInjected++;
        link.tainted = true;
      } else {
        // TCP keeps a socket's frames in order: a frame never overtakes an earlier one.
        at = Math.max(at, toRelay ? link.lastToRelay : link.lastToClient);
        if (toRelay) {
          link.lastToRelay = at;
        } else {
          link.lastToClient = at;
        }
      }
      long sentAt = sim.now();
      sim.schedule(null, at - sim.now(), () -> deliver(link, toRelay, frame, from, to, sentAt));
    }
  }

  private void deliver(Link link, boolean toRelay, String frame, String from, String to, long sentAt) {
    if (link.broken) {
      return;
    }
    if (blackholed(link.device, link.url)) {
      link.tainted = true;
      trace.record(sim.now(), Trace.Kind.LOST, from, to, Frames.summary(frame), frame, Frames.refs(frame));
      return;
    }
    framesDelivered++;
    trace.record(sim.now(), Trace.Kind.FRAME, from, to, Frames.summary(frame) + " (sent at " + sentAt + ")", frame,
        Frames.refs(frame));
    if (toRelay) {
      if (!link.socket.receive(frame)) {
        breakLink(link, "the relay could not take the frame");
      }
    } else if (!link.clientGone) {
      link.client.deliver(frame);
    }
  }

  /** One socket between a device and a relay. */
  private final class Link {
    final long id;
    final String device;
    final Node node;
    final String url;
    final ClientSocket client;
    RelayEndpoint.Socket socket;
    long lastToRelay;
    long lastToClient;
    boolean broken;
    /** Lost, doubled or reordered a frame: ended when the network heals. */
    boolean tainted;
    boolean relayGone;
    boolean clientGone;

    Link(long id, String device, Node node, String url) {
      this.id = id;
      this.device = device;
      this.node = node;
      this.url = url;
      this.client = new ClientSocket(
          frame -> {
            if (!broken && node.alive()) {
              transmit(this, true, frame);
            }
          },
          () -> sim.schedule(null, delay(device, url), () -> {
            if (!broken) {
              broken = true;
              links.remove(this.id);
              trace.record(sim.now(), Trace.Kind.DISCONNECT, device, url, "socket " + this.id + " closed by the device",
                  "close " + this.id);
              if (!relayGone && socket != null) {
                socket.close();
              }
            }
          }));
    }

    RelayEndpoint.Client fromRelay() {
      return new RelayEndpoint.Client() {
        @Override
        public void frame(String text) {
          if (!broken) {
            transmit(Link.this, false, text);
          }
        }

        @Override
        public void closed(Optional<String> reason) {
          if (broken) {
            return;
          }
          sim.schedule(null, delay(device, url), () -> {
            if (broken) {
              return;
            }
            broken = true;
            links.remove(id);
            trace.record(sim.now(), Trace.Kind.DISCONNECT, url, device,
                "socket " + id + " closed by the relay" + reason.map(r -> ": " + r).orElse(""), "rclose " + id);
            if (reason.isPresent()) {
              client.fail(new IOException(reason.get()));
            } else {
              client.complete();
            }
          });
        }
      };
    }
  }

  /** Open sockets per device, for the report. */
  public Set<String> connectedDevices() {
    Set<String> out = new HashSet<>();
    links.values().forEach(l -> out.add(l.device));
    return out;
  }

  public List<String> openSockets() {
    List<String> out = new ArrayList<>();
    links.values().forEach(l -> out.add(l.device + "->" + l.url));
    return out;
  }
}
