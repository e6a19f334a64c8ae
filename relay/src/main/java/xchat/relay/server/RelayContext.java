package xchat.relay.server;

import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import xchat.protocol.message.MessageLimits;
import xchat.protocol.nip42.AuthValidator;
import xchat.relay.store.EventStore;

/** What every connection of one relay shares. */
record RelayContext(
    RelayConfig config,
    EventStore store,
    LiveFeed feed,
    EventAdmission admission,
    AuthValidator authValidator,
    Executor queries,
    SecureRandom random,
    MessageLimits messageLimits,
    Set<ActorRef<ConnectionActor.Command>> connections) {

  long nowSeconds() {
    return config.clock().millis() / 1000;
  }
}
