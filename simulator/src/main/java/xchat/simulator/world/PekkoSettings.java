package xchat.simulator.world;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * The Pekko settings that put an actor system on the simulation: the virtual scheduler, every
 * dispatcher on the node's executor (the internal one is an alias of the default, which the
 * engine sets to the node's executor), and a logger that starts without an actor (the default
 * one is awaited at startup, which would block the simulation's only thread).
 */
public final class PekkoSettings {
  private PekkoSettings() {}

  public static Config forNode(Node node) {
    return ConfigFactory.parseString(String.join("\n",
        "pekko.scheduler.implementation = \"" + VirtualScheduler.class.getName() + "\"",
        "pekko.actor.internal-dispatcher = \"pekko.actor.default-dispatcher\"",
        "pekko.loggers = [\"org.apache.pekko.event.Logging$StandardOutLogger\"]",
        "pekko.logging-filter = \"org.apache.pekko.event.DefaultLoggingFilter\"",
        "pekko.use-slf4j = off",
        "pekko.loglevel = \"OFF\"",
        "pekko.stdout-loglevel = \"OFF\"",
        "pekko.log-dead-letters = off",
        "pekko.log-dead-letters-during-shutdown = off",
        "pekko.coordinated-shutdown.run-by-actor-system-terminate = off",
        "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
        "pekko.jvm-shutdown-hooks = off",
        "pekko.jvm-exit-on-fatal-error = off",
        "xchat.simulator.sim = \"" + node.sim().id() + "\"",
        "xchat.simulator.node = \"" + node.name() + "\""));
  }

  /** For an actor system the simulator creates itself (a relay's). */
  public static Config standalone(Node node) {
    return forNode(node).withFallback(ConfigFactory.load());
  }
}
