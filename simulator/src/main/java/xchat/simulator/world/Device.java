package xchat.simulator.world;

import java.nio.file.Path;
import java.util.concurrent.Flow;
import xchat.engine.api.EngineEvent;
import xchat.engine.api.XChat;
import xchat.protocol.keys.KeyPair;

/**
 * One device of one account: a real engine with its own encrypted RocksDB store in its own
 * directory, on the simulation's thread. A crash kills its node and abandons the engine as a dead
 * process would; a restart opens the same directory again as a new node.
 */
public final class Device {
  private final String name;
  private final int account;
  private final KeyPair keys;
  private final Path home;
  private final VirtualClock clock;
  private Node node;
  private XChat chat;
  private int incarnation;

  Device(String name, int account, KeyPair keys, Path home, VirtualClock clock) {
    this.name = name;
    this.account = account;
    this.keys = keys;
    this.home = home;
    this.clock = clock;
  }

  public String name() {
    return name;
  }

  public int account() {
    return account;
  }

  KeyPair keys() {
    return keys;
  }

  public Path home() {
    return home;
  }

  public VirtualClock clock() {
    return clock;
  }

  public boolean up() {
    return chat != null;
  }

  public XChat chat() {
    return chat;
  }

  Node newIncarnation(Sim sim) {
    node = sim.node(name + "#" + ++incarnation);
    return node;
  }

  Node node() {
    return node;
  }

  void opened(XChat opened, Flow.Subscriber<EngineEvent> listener) {
    this.chat = opened;
    opened.events().subscribe(listener);
  }

  /** Killed: queued work is dropped, the store keeps what was committed. */
  void crash() {
    if (chat == null) {
      return;
    }
    XChat dying = chat;
    chat = null;
    node.kill();
    dying.abandon();
  }

  @Override
  public String toString() {
    return name;
  }
}
