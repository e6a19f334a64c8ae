package xchat.relay.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.message.ClientMessage;
import xchat.protocol.message.RelayMessage;
import xchat.protocol.nip77.Item;
import xchat.protocol.nip77.Negentropy;
import xchat.protocol.nip77.SortedVectorStorage;
import xchat.relay.testing.RelayFixture;
import xchat.relay.testing.TestClient;
import xchat.relay.testing.TestEvents;

/** NIP-77 over a real socket: a client-side session finds exactly what each side lacks. */
class NegentropyTest {
  private RelayFixture fixture;

  @AfterEach
  void stop() {
    fixture.close();
  }

  /** Runs a whole client session; returns {need, have} as hex sets, or the NEG-ERR. */
  static Object sync(TestClient client, String id, Filter filter, List<Item> local) {
    Negentropy negentropy = new Negentropy(SortedVectorStorage.of(local), 60_000);
    client.send(new ClientMessage.NegOpen(id, filter, Hex.encode(negentropy.initiate())));
    List<byte[]> have = new ArrayList<>();
    List<byte[]> need = new ArrayList<>();
    while (true) {
      RelayMessage reply = client.await(RelayMessage.class,
          m -> (m instanceof RelayMessage.NegMsg msg && msg.subscriptionId().equals(id))
              || (m instanceof RelayMessage.NegErr err && err.subscriptionId().equals(id)));
      if (reply instanceof RelayMessage.NegErr err) {
        return err;
      }
      Optional<byte[]> next = negentropy.reconcile(
          Hex.decode(((RelayMessage.NegMsg) reply).messageHex()), have, need);
      if (next.isEmpty()) {
        client.send(new ClientMessage.NegClose(id));
        return List.of(hexes(need), hexes(have));
      }
      client.send(new ClientMessage.NegMsg(id, Hex.encode(next.get())));
    }
  }

  private static Set<String> hexes(List<byte[]> ids) {
    Set<String> out = new HashSet<>();
    ids.forEach(id -> out.add(Hex.encode(id)));
    return out;
  }

  @Test
  void aClientMissingSomeEventsLearnsExactlyWhichOverSeveralRounds() {
    fixture = RelayFixture.start(0x5eed_0600L);
    TestEvents events = fixture.events;
    SplittableRandom random = new SplittableRandom(events.seed());
    KeyPair author = events.keys();
    List<CompletableFuture<?>> writes = new ArrayList<>();
    List<Item> local = new ArrayList<>();
    Set<String> missing = new HashSet<>();
    for (int i = 0; i < 3000; i++) {
      NostrEvent event = events.note(author, fixture.now() - random.nextInt(100_000), "n" + i);
      writes.add(fixture.relay.store().submit(event).toCompletableFuture());
      if (random.nextInt(100) == 0) {
        missing.add(event.id().hex());
      } else {
        local.add(new Item(event.createdAt(), event.id().bytes()));
      }
    }
    Set<String> extra = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      NostrEvent onlyLocal = events.note(author, fixture.now() - i, "local " + i);
      local.add(new Item(onlyLocal.createdAt(), onlyLocal.id().bytes()));
      extra.add(onlyLocal.id().hex());
    }
    CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).join();

    TestClient client = fixture.client();
    Object result = sync(client, "neg", Filter.builder().authors(author.publicKey()).build(), local);
    assertEquals(List.of(missing, extra), result, events.why("need then have"));
  }

  @Test
  void beyondTheItemLimitTheRelayAnswersNegErr() {
    fixture = RelayFixture.start(0x5eed_0601L,
        config -> config.withLimits(config.limits().withMaxNegentropyItems(5)));
    TestClient client = fixture.client();
    KeyPair author = fixture.events.keys();
    for (int i = 0; i < 6; i++) {
      client.expectOk(client.publish(fixture.events.note(author, fixture.now() - i, "i" + i)), true, "");
    }
    Object result = sync(client, "big", Filter.ALL, List.of());
    assertTrue(result instanceof RelayMessage.NegErr err && err.reason().startsWith("blocked:"),
        String.valueOf(result));
    Object small = sync(client, "small", Filter.builder().limit(5).build(), List.of());
    assertEquals(5, ((Set<?>) ((List<?>) small).get(0)).size(), "a limit keeps the newest");
  }

  @Test
  void giftWrapsAreReconciledOnlyWithTheirRecipient() {
    fixture = RelayFixture.start(0x5eed_0602L);
    TestEvents events = fixture.events;
    KeyPair recipient = events.keys();
    TestClient client = fixture.client();
    NostrEvent wrap = events.event(events.keys(), 1059, fixture.now() - 100,
        List.of(TestEvents.p(recipient.publicKey())), "ciphertext");
    client.expectOk(client.publish(wrap), true, "");
    Filter mine = Filter.builder().kinds(1059).tag('p', recipient.publicKey().hex()).build();

    Object anonymous = sync(client, "anon", mine, List.of());
    assertTrue(anonymous instanceof RelayMessage.NegErr err
        && err.reason().startsWith("auth-required:"), String.valueOf(anonymous));

    NostrEvent auth = events.auth(recipient, fixture.relay.relayUrl(), client.challenge(), fixture.now());
    client.send(new ClientMessage.Auth(auth));
    client.expectOk(client.await(RelayMessage.Ok.class, ok -> ok.eventId().equals(auth.id())), true, "");
    assertEquals(List.of(Set.of(wrap.id().hex()), Set.of()), sync(client, "mine", mine, List.of()));
  }

  @Test
  void aMalformedMessageGetsNegErr() {
    fixture = RelayFixture.start(0x5eed_0603L);
    TestClient client = fixture.client();
    client.send(new ClientMessage.NegOpen("bad", Filter.ALL, "ff00"));
    assertTrue(client.await(RelayMessage.NegErr.class, m -> m.subscriptionId().equals("bad"))
        .reason().startsWith("invalid:"));
    client.send(new ClientMessage.NegMsg("unknown", "61"));
    assertTrue(client.await(RelayMessage.NegErr.class, m -> m.subscriptionId().equals("unknown"))
        .reason().startsWith("closed:"));
  }
}
