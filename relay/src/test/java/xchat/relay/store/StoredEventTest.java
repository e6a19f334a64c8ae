package xchat.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.nip40.Expiration;
import xchat.relay.testing.TestEvents;

class StoredEventTest {
  private static final long NOW = 1_750_000_000L;
  private final TestEvents events = new TestEvents(0x5eed_5e0eL);
  private final KeyPair author = events.keys();
  private final KeyPair recipient = events.keys();
  private final NostrEvent wrap = events.event(author, 1059, NOW,
      List.of(TestEvents.p(recipient.publicKey()), Expiration.tag(NOW + 60)),
      "caf\u00e9 \"quoted\" \\ \n \ud83d\udd11");
  private final String json = EventJson.toJson(wrap);

  @Test
  void readsTheFieldsAndKeepsTheJsonByteForByte() {
    StoredEvent stored = read(json);
    assertEquals(wrap.id(), stored.id());
    assertEquals(wrap.pubkey(), stored.pubkey());
    assertEquals(wrap.createdAt(), stored.createdAt());
    assertEquals(wrap.kind(), stored.kind());
    assertEquals(wrap.tags(), stored.tags());
    assertEquals(json, stored.json());
    assertEquals(json.getBytes(StandardCharsets.UTF_8).length, stored.jsonLength());
    assertEquals(wrap, stored.toEvent());
  }

  @Test
  void splicesTheJsonBetweenHeadAndTail() {
    byte[] head = "[\u00e9,".getBytes(StandardCharsets.UTF_8);
    byte[] tail = "]".getBytes(StandardCharsets.UTF_8);
    assertEquals("[\u00e9," + json + "]", read(json).between(head, tail));
  }

  @Test
  void matchesAsFilterMatchesDoes() {
    StoredEvent stored = read(json);
    List<Filter> filters = List.of(
        Filter.ALL,
        Filter.builder().ids(wrap.id()).build(),
        Filter.builder().ids(events.note(author, NOW, "other").id()).build(),
        Filter.builder().authors(author.publicKey()).build(),
        Filter.builder().authors(recipient.publicKey()).build(),
        Filter.builder().kinds(1, 1059).build(),
        Filter.builder().kinds(1).build(),
        Filter.builder().since(NOW).until(NOW).build(),
        Filter.builder().since(NOW + 1).build(),
        Filter.builder().until(NOW - 1).build(),
        Filter.builder().tag('p', recipient.publicKey().hex()).build(),
        Filter.builder().tag('p', author.publicKey().hex()).build(),
        Filter.builder().tag('e', recipient.publicKey().hex()).build(),
        Filter.builder().kinds(1059).tag('p', recipient.publicKey().hex()).limit(3).build());
    for (Filter filter : filters) {
      assertEquals(filter.matches(wrap), stored.matches(filter), events.why(filter.toString()));
    }
  }

  @Test
  void expiresAndIsSeenAsTheEventWouldBe() {
    StoredEvent stored = read(json);
    assertFalse(stored.isExpired(NOW + 59));
    assertTrue(stored.isExpired(NOW + 60));
    assertFalse(Access.ANONYMOUS.maySee(stored));
    assertTrue(new Access(java.util.Set.of(recipient.publicKey())).maySee(stored));
    assertFalse(new Access(java.util.Set.of(author.publicKey())).maySee(stored));
  }

  @Test
  void refusesCorruptValuesWithAStoreException() {
    String id = wrap.id().hex();
    String sig = wrap.sig().hex();
    List<String> corrupt = List.of(
        "",
        "not json",
        json.substring(0, json.length() - 1),
        json.substring(0, json.length() / 2),
        "[" + json + "]",
        json + " {}",
        json.replace("\"sig\":\"" + sig + "\"", "\"nosig\":\"" + sig + "\""),
        json.replace("\"kind\":1059", "\"kind\":\"1059\""),
        json.replace("\"kind\":1059", "\"kind\":70000"),
        json.replace("\"kind\":1059", "\"kind\":1059,\"kind\":1059"),
        json.replace("\"created_at\":" + NOW, "\"created_at\":-1"),
        json.replace("\"created_at\":" + NOW, "\"created_at\":1e9"),
        json.replace(id, id.toUpperCase(java.util.Locale.ROOT)),
        json.replace(sig, sig.substring(2)),
        json.replace("\"tags\":[", "\"tags\":[[],"),
        json.replace("\"tags\":[", "\"tags\":[[1],"),
        json.replace("\"tags\":[", "\"tags\":{\"p\":1},\"x\":["),
        json.replace("\"content\":\"", "\"content\":7,\"y\":\""),
        json.replace("caf\u00e9", "caf\u0001"),
        json.replace("\\\\", "\\q"));
    for (String value : corrupt) {
      StoreException e = assertThrows(StoreException.class, () -> read(value), value);
      assertTrue(e.getMessage().startsWith("a stored event is corrupt"), e.getMessage());
    }
  }

  @Test
  void refusesInvalidUtf8InTheSkippedContent() {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    byte[] cafe = "caf\u00e9".getBytes(StandardCharsets.UTF_8);
    int at = indexOf(bytes, cafe) + 3;
    bytes[at + 1] = (byte) 0x28; // a lead byte followed by no continuation byte
    assertThrows(StoreException.class, () -> StoredEvent.read(wrap.id().bytes(), bytes));
  }

  @Test
  void refusesAValueStoredUnderAnotherId() {
    NostrEvent other = events.note(author, NOW, "other");
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    StoreException e = assertThrows(StoreException.class,
        () -> StoredEvent.read(other.id().bytes(), bytes));
    assertTrue(e.getMessage().contains("another id"), e.getMessage());
  }

  @Test
  void neverQuotesStoredContentInItsMessage() {
    String secret = json.replace("\"kind\":1059", "\"kind\":\"secret-plaintext\"");
    StoreException e = assertThrows(StoreException.class, () -> read(secret));
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
    String broken = json.replace("caf\u00e9", "secret\u0001");
    e = assertThrows(StoreException.class, () -> read(broken));
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
  }

  private StoredEvent read(String value) {
    return StoredEvent.read(wrap.id().bytes(), value.getBytes(StandardCharsets.UTF_8));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }
}
