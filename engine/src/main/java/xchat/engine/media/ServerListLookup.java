package xchat.engine.media;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xchat.engine.transport.RelayConnection;
import xchat.engine.transport.RelayTransport;
import xchat.engine.transport.RelayUrl;
import xchat.protocol.blossom.BlossomServerList;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.filter.Filter;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.message.ClientMessage;
import xchat.protocol.message.ClientMessageJson;
import xchat.protocol.message.MessageParseException;
import xchat.protocol.message.RelayMessage;
import xchat.protocol.message.RelayMessageJson;

/**
 * Finds a user's Blossom servers (NIP-B7: their newest kind-10063 event) on a circle's relays, by
 * a one-shot REQ on a short-lived connection per relay. A relay that fails, refuses or stays silent
 * past the timeout contributes nothing: the lookup only ever adds fallbacks.
 */
final class ServerListLookup {
  private static final Logger LOG = LoggerFactory.getLogger(ServerListLookup.class);
  private static final String SUBSCRIPTION = "xchat-b7";

  private final Optional<RelayTransport> transport;
  private final Secp256k1 curve;
  private final Executor executor;
  private final Duration timeout;

  ServerListLookup(Optional<RelayTransport> transport, Secp256k1 curve, Executor executor, Duration timeout) {
    this.transport = transport;
    this.curve = curve;
    this.executor = executor;
    this.timeout = timeout;
  }

  /** The servers of the newest valid list {@code author} published on any of {@code relays}. */
  CompletableFuture<List<URI>> servers(PublicKey author, List<RelayUrl> relays) {
    if (transport.isEmpty() || relays.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    List<CompletableFuture<Optional<BlossomServerList>>> each = new ArrayList<>();
    for (RelayUrl relay : relays) {
      each.add(query(transport.get(), relay, author));
    }
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApplyAsync(done -> {
      Optional<BlossomServerList> newest = Optional.empty();
      for (CompletableFuture<Optional<BlossomServerList>> one : each) {
        Optional<BlossomServerList> list = one.join();
        if (list.isPresent() && (newest.isEmpty() || list.get().createdAt() > newest.get().createdAt())) {
          newest = list;
        }
      }
      return newest.map(BlossomServerList::servers).orElse(List.of());
    }, executor);
  }

  private CompletableFuture<Optional<BlossomServerList>> query(RelayTransport transport, RelayUrl relay,
      PublicKey author) {
    CompletableFuture<Optional<BlossomServerList>> result = new CompletableFuture<>();
    AtomicReference<RelayConnection> open = new AtomicReference<>();
    transport.connect(relay).whenComplete((connection, failure) -> {
      if (failure != null) {
        LOG.debug("NIP-B7 lookup: cannot connect to {}: {}", relay.value(), failure.getClass().getSimpleName());
        result.complete(Optional.empty());
        return;
      }
      open.set(connection);
      connection.incoming().subscribe(new Reader(author, result));
      Filter filter = Filter.builder().kinds(BlossomServerList.KIND).authors(author).limit(1).build();
      if (connection.send(ClientMessageJson.write(new ClientMessage.Req(SUBSCRIPTION, List.of(filter))))
          != RelayConnection.SendResult.ENQUEUED) {
        result.complete(Optional.empty());
      }
    });
    return result
        .completeOnTimeout(Optional.empty(), timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenCompleteAsync((list, failure) -> {
          RelayConnection connection = open.get();
          if (connection != null) {
            connection.close();
          }
        }, executor);
  }

  /** Keeps the newest valid list until EOSE (or CLOSED, or the end of the connection). */
  private final class Reader implements Flow.Subscriber<String> {
    private final PublicKey author;
    private final CompletableFuture<Optional<BlossomServerList>> result;
    private Optional<BlossomServerList> newest = Optional.empty();

    Reader(PublicKey author, CompletableFuture<Optional<BlossomServerList>> result) {
      this.author = author;
      this.result = result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String frame) {
      if (result.isDone()) {
        return;
      }
      RelayMessage message;
      try {
        message = RelayMessageJson.parse(frame);
      } catch (MessageParseException e) {
        return; // a relay's garbage costs it its say, nothing more
      }
      if (message instanceof RelayMessage.EventMessage event && SUBSCRIPTION.equals(event.subscriptionId())
          && event.event().kind() == BlossomServerList.KIND && event.event().pubkey().equals(author)
          && event.event().hasValidSignature(curve)) {
        Optional<BlossomServerList> list = BlossomServerList.parse(event.event());
        if (list.isPresent() && (newest.isEmpty() || list.get().createdAt() > newest.get().createdAt())) {
          newest = list;
        }
      } else if (message instanceof RelayMessage.Eose || message instanceof RelayMessage.Closed) {
        result.complete(newest);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      result.complete(newest);
    }

    @Override
    public void onComplete() {
      result.complete(newest);
    }
  }
}
