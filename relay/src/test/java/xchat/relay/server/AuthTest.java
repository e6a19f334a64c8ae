package xchat.relay.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.message.ClientMessage;
import xchat.protocol.message.RelayMessage;
import xchat.relay.testing.RelayFixture;
import xchat.relay.testing.TestClient;
import xchat.relay.testing.TestEvents;

/** NIP-42 in both modes, and the gift-wrap rule that holds in every mode. */
class AuthTest {
  private RelayFixture fixture;

  @AfterEach
  void stop() {
    fixture.close();
  }

  private RelayMessage.Ok authenticate(TestClient client, KeyPair keys) {
    NostrEvent auth =
        fixture.events.auth(keys, fixture.relay.relayUrl(), client.challenge(), fixture.now());
    client.send(new ClientMessage.Auth(auth));
    return client.await(RelayMessage.Ok.class, ok -> ok.eventId().equals(auth.id()));
  }

  @Test
  void everyConnectionGetsAFreshChallenge() {
    fixture = RelayFixture.start(0x5eed_0400L);
    String first = fixture.client().challenge();
    String second = fixture.client().challenge();
    assertFalse(first.isEmpty());
    assertFalse(first.equals(second), "challenges are not reused");
  }

  @Test
  void aValidAuthIsAcceptedAndABadOneRefused() {
    fixture = RelayFixture.start(0x5eed_0401L);
    TestClient client = fixture.client();
    KeyPair keys = fixture.events.keys();
    NostrEvent wrongChallenge =
        fixture.events.auth(keys, fixture.relay.relayUrl(), "not-the-challenge", fixture.now());
    client.send(new ClientMessage.Auth(wrongChallenge));
    client.expectOk(client.await(RelayMessage.Ok.class,
        ok -> ok.eventId().equals(wrongChallenge.id())), false, "invalid:");
    NostrEvent wrongRelay =
        fixture.events.auth(keys, "wss://elsewhere.example", client.challenge(), fixture.now());
    client.send(new ClientMessage.Auth(wrongRelay));
    client.expectOk(client.await(RelayMessage.Ok.class,
        ok -> ok.eventId().equals(wrongRelay.id())), false, "invalid:");
    client.expectOk(authenticate(client, keys), true, "");
  }

  @Test
  void inAuthRequiredModeWritesAndReadsWaitForAuth() {
    fixture = RelayFixture.start(0x5eed_0402L, config -> config.withAuthRequired(true));
    TestClient client = fixture.client();
    KeyPair keys = fixture.events.keys();
    NostrEvent note = fixture.events.note(keys, fixture.now(), "members only");
    client.expectOk(client.publish(note), false, "auth-required:");
    client.send(new ClientMessage.Req("early", List.of(Filter.ALL)));
    assertTrue(client.await(RelayMessage.Closed.class, m -> m.subscriptionId().equals("early"))
        .message().startsWith("auth-required:"));

    client.expectOk(authenticate(client, keys), true, "");
    client.expectOk(client.publish(note), true, "");
    assertEquals(List.of(note), client.req("later", Filter.ALL));
  }

  @Test
  void giftWrapsReachOnlyTheirAuthenticatedRecipientWithoutAuthRequired() {
    fixture = RelayFixture.start(0x5eed_0403L);
    giftWrapsReachOnlyTheirRecipient();
  }

  @Test
  void giftWrapsReachOnlyTheirAuthenticatedRecipientWithAuthRequired() {
    fixture = RelayFixture.start(0x5eed_0404L, config -> config.withAuthRequired(true));
    giftWrapsReachOnlyTheirRecipient();
  }

  private void giftWrapsReachOnlyTheirRecipient() {
    TestEvents events = fixture.events;
    KeyPair recipient = events.keys();
    KeyPair stranger = events.keys();
    KeyPair sender = events.keys();
    TestClient publisher = fixture.client();
    TestClient recipientClient = fixture.client();
    TestClient strangerClient = fixture.client();
    TestClient anonymous = fixture.client();
    authenticate(publisher, sender);
    authenticate(recipientClient, recipient);
    authenticate(strangerClient, stranger);

    Filter wraps = Filter.builder().kinds(1059).build();
    assertEquals(List.of(), recipientClient.req("live", Filter.builder().kinds(1059).limit(0).build()));
    assertEquals(List.of(), strangerClient.req("live", Filter.builder().kinds(1059).limit(0).build()));

    NostrEvent wrap = events.event(events.keys(), 1059, fixture.now() - 3600,
        List.of(TestEvents.p(recipient.publicKey())), "ciphertext");
    publisher.expectOk(publisher.publish(wrap), true, "");

    assertEquals(wrap, recipientClient.await(RelayMessage.EventMessage.class,
        m -> m.subscriptionId().equals("live")).event(), "live to the recipient");
    assertEquals(List.of(wrap), recipientClient.req("stored", wraps));
    assertEquals(List.of(wrap), recipientClient.req("by-p",
        Filter.builder().tag('p', recipient.publicKey().hex()).build()));

    assertEquals(List.of(), strangerClient.req("stored", wraps));
    assertEquals(List.of(), strangerClient.req("everything", Filter.ALL).stream()
        .filter(e -> e.kind() == 1059).toList());
    assertTrue(strangerClient.drain().stream().noneMatch(m -> m instanceof RelayMessage.EventMessage),
        "no live wrap for a stranger");

    if (!fixture.relay.config().authRequired()) {
      anonymous.send(new ClientMessage.Req("wraps", List.of(wraps)));
      assertTrue(anonymous.await(RelayMessage.Closed.class, m -> m.subscriptionId().equals("wraps"))
          .message().startsWith("auth-required:"), "asking only for wraps prompts AUTH");
      assertEquals(List.of(), anonymous.req("all", Filter.ALL).stream()
          .filter(e -> e.kind() == 1059).toList());
    }
  }
}
