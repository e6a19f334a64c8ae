package xchat.relay.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tag;
import xchat.protocol.filter.Filter;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.message.RelayMessage;
import xchat.relay.testing.RelayFixture;
import xchat.relay.testing.TestClient;

/** EVENT → OK over a real socket, with NIP-01's prefixes. */
class PublishTest {
  private RelayFixture fixture;

  @BeforeEach
  void start() {
    fixture = RelayFixture.start(0x5eed_0100L);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void aValidEventIsAcceptedAndStored() {
    TestClient client = fixture.client();
    NostrEvent note = fixture.events.note(fixture.events.keys(), fixture.now(), "hello");
    client.expectOk(client.publish(note), true, "");
    assertEquals(List.of(note), client.req("s", Filter.builder().ids(note.id()).build()));
  }

  @Test
  void aDuplicateIsAcceptedWithTheDuplicatePrefix() {
    TestClient client = fixture.client();
    NostrEvent note = fixture.events.note(fixture.events.keys(), fixture.now(), "twice");
    client.expectOk(client.publish(note), true, "");
    client.expectOk(client.publish(note), true, "duplicate:");
  }

  @Test
  void aBadSignatureIsRefusedAsInvalid() {
    TestClient client = fixture.client();
    NostrEvent note = fixture.events.note(fixture.events.keys(), fixture.now(), "forged");
    String json = EventJson.toJson(note);
    String sig = note.sig().hex();
    String forged = sig.substring(0, 10) + (sig.charAt(10) == '0' ? '1' : '0') + sig.substring(11);
    client.send("[\"EVENT\"," + json.replace(sig, forged) + "]");
    RelayMessage.Ok ok = client.await(RelayMessage.Ok.class, m -> m.eventId().equals(note.id()));
    client.expectOk(ok, false, "invalid:");
    assertTrue(ok.message().contains("signature"), ok.message());
  }

  @Test
  void anIdThatDoesNotMatchTheContentIsRefusedWithOkFalse() {
    TestClient client = fixture.client();
    NostrEvent note = fixture.events.note(fixture.events.keys(), fixture.now(), "original");
    String tampered = EventJson.toJson(note).replace("original", "tampered");
    client.send("[\"EVENT\"," + tampered + "]");
    RelayMessage.Ok ok = client.await(RelayMessage.Ok.class, m -> m.eventId().equals(note.id()));
    client.expectOk(ok, false, "invalid:");
    assertTrue(ok.message().contains("id"), ok.message());
  }

  @Test
  void eventsOutsideTheCreatedAtWindowAreRefused() {
    TestClient client = fixture.client();
    KeyPair keys = fixture.events.keys();
    RelayLimits limits = fixture.relay.config().limits();
    client.expectOk(client.publish(fixture.events.note(keys,
        fixture.now() + limits.createdAtUpperLimit() + 1, "future")), false, "invalid:");
    client.expectOk(client.publish(fixture.events.note(keys,
        fixture.now() - limits.createdAtLowerLimit() - 1, "ancient")), false, "invalid:");
  }

  @Test
  void anEphemeralEventIsDeliveredLiveButNeverStored() {
    TestClient listener = fixture.client();
    TestClient sender = fixture.client();
    listener.req("live", Filter.builder().kinds(20001).build());
    NostrEvent ephemeral =
        fixture.events.event(fixture.events.keys(), 20001, fixture.now(), List.of(), "now only");
    sender.expectOk(sender.publish(ephemeral), true, "");
    RelayMessage.EventMessage live = listener.await(RelayMessage.EventMessage.class,
        m -> m.subscriptionId().equals("live"));
    assertEquals(ephemeral, live.event());
    assertEquals(List.of(), sender.req("later", Filter.builder().kinds(20001).build()));
    assertEquals(0, fixture.relay.store().count());
  }

  @Test
  void tooManyTagsIsRefusedWithOkFalse() {
    fixture.close();
    fixture = RelayFixture.start(0x5eed_0101L, config -> config.withLimits(
        new RelayLimits(RelayLimits.DEFAULT.maxMessageBytes(), 64, 16, 1000, 5000, 500, 3,
            RelayLimits.DEFAULT.maxContentLength(), RelayLimits.DEFAULT.eventRate(),
            RelayLimits.DEFAULT.reqRate(), RelayLimits.DEFAULT.createdAtLowerLimit(),
            RelayLimits.DEFAULT.createdAtUpperLimit(), 8, 1000, 65536, 4096, 1 << 24, 64)));
    TestClient client = fixture.client();
    NostrEvent tagged = fixture.events.event(fixture.events.keys(), 1, fixture.now(),
        List.of(Tag.of("t", "a"), Tag.of("t", "b"), Tag.of("t", "c"), Tag.of("t", "d")), "4 tags");
    client.expectOk(client.publish(tagged), false, "invalid:");
  }
}
