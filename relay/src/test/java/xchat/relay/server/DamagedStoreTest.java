package xchat.relay.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.message.ClientMessage;
import xchat.protocol.message.RelayMessage;
import xchat.relay.testing.RelayFixture;
import xchat.relay.testing.StoreSurgery;
import xchat.relay.testing.TestClient;

/** A damaged stored event costs its REQ a CLOSED error:, never a malformed EVENT frame. */
class DamagedStoreTest {
  @TempDir Path dir;

  @Test
  void aReqOverADamagedEventIsClosedAndTheConnectionStaysUp() throws RocksDBException {
    NostrEvent damaged;
    NostrEvent intact;
    String why;
    try (RelayFixture fixture = RelayFixture.start(0x5eed_da3aL, c -> c.withDataDir(dir))) {
      KeyPair alice = fixture.events.keys();
      damaged = fixture.events.note(alice, fixture.now(), "to be damaged");
      intact = fixture.events.event(alice, 7, fixture.now(), List.of(), "+");
      why = fixture.events.why("damaged store");
      TestClient client = fixture.client();
      client.expectOk(client.publish(damaged), true, "");
      client.expectOk(client.publish(intact), true, "");
    }
    String json = EventJson.toJson(damaged);
    StoreSurgery.overwriteEvent(dir, damaged.id(), json.replace("\"kind\":1", "\"kind\":true"));

    try (RelayFixture fixture = RelayFixture.start(0x5eed_da3aL, c -> c.withDataDir(dir))) {
      TestClient client = fixture.client();
      client.send(new ClientMessage.Req("notes", List.of(Filter.builder().kinds(1).build())));
      RelayMessage.Closed closed = client.await(RelayMessage.Closed.class,
          c -> c.subscriptionId().equals("notes"));
      assertTrue(closed.message().startsWith("error:"), why + ": " + closed.message());
      assertEquals(List.of(intact), client.req("reactions", Filter.builder().kinds(7).build()),
          why);
    }
  }
}
