package xchat.protocol.nip09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.message.TestEvents;

class DeletionsTest {
  static final KeyPair ALICE = TestEvents.keys("alice");
  static final KeyPair MALLORY = TestEvents.keys("mallory");
  static final NostrEvent NOTE = TestEvents.event(ALICE, 1000, 1, "oops");
  static final NostrEvent SETTINGS_V1 =
      TestEvents.event(ALICE, 1000, 30078, "v1", Tag.of("d", "settings"));
  static final NostrEvent SETTINGS_V2 =
      TestEvents.event(ALICE, 3000, 30078, "v2", Tag.of("d", "settings"));
  static final EventAddress SETTINGS = new EventAddress(30078, ALICE.publicKey(), "settings");

  static DeletionRequest request(KeyPair author, long createdAt, List<EventId> ids,
      List<EventAddress> addresses) throws Exception {
    UnsignedEvent unsigned =
        Deletions.request(author.publicKey(), createdAt, ids, addresses, List.of(1), "by accident");
    return Deletions.parse(TestEvents.sign(author, unsigned));
  }

  @Test
  void buildsTheNip09ShapeWithAKTagPerKind() {
    UnsignedEvent unsigned = Deletions.request(ALICE.publicKey(), 2000, List.of(NOTE.id()),
        List.of(SETTINGS), List.of(1), "these posts were published by accident");
    assertEquals(5, unsigned.kind());
    assertEquals("these posts were published by accident", unsigned.content());
    assertEquals(List.of(Tag.of("e", NOTE.id().hex()), Tag.of("a", SETTINGS.toTagValue()),
        Tag.of("k", "1"), Tag.of("k", "30078")), unsigned.tags().list());
  }

  @Test
  void parsesWhatItBuilds() throws Exception {
    NostrEvent signed = TestEvents.sign(ALICE, Deletions.request(ALICE.publicKey(), 2000,
        List.of(NOTE.id()), List.of(SETTINGS), List.of(), ""));
    DeletionRequest parsed = Deletions.parse(signed);
    assertEquals(new DeletionRequest(signed.id(), ALICE.publicKey(), 2000, Set.of(NOTE.id()),
        Set.of(SETTINGS), Set.of(30078), ""), parsed);
  }

  @Test
  void onlyTheAuthorCanDeleteAnEvent() throws Exception {
    assertTrue(Deletions.deletes(request(ALICE, 2000, List.of(NOTE.id()), List.of()), NOTE));
    assertFalse(Deletions.deletes(request(MALLORY, 2000, List.of(NOTE.id()), List.of()), NOTE));
    NostrEvent malloryNote = TestEvents.event(MALLORY, 1000, 1, "mine");
    assertFalse(request(ALICE, 2000, List.of(NOTE.id()), List.of()).deletes(malloryNote));
  }

  @Test
  void anEventTagDeletesOnlyThatEventWhateverItsTime() throws Exception {
    DeletionRequest request = request(ALICE, 500, List.of(NOTE.id()), List.of());
    assertTrue(request.deletes(NOTE)); // NIP-09 bounds only a-tag deletions by time
    assertFalse(request.deletes(TestEvents.event(ALICE, 1000, 1, "another")));
  }

  @Test
  void anAddressDeletesVersionsUpToTheRequestTimeInclusive() throws Exception {
    DeletionRequest request = request(ALICE, 2000, List.of(), List.of(SETTINGS));
    assertTrue(request.deletes(SETTINGS_V1));
    assertFalse(request.deletes(SETTINGS_V2));
    assertTrue(request(ALICE, 3000, List.of(), List.of(SETTINGS)).deletes(SETTINGS_V2));
  }

  @Test
  void anAddressNamingSomeoneElsesEventDeletesNothing() throws Exception {
    EventAddress alicesAddress = new EventAddress(30078, ALICE.publicKey(), "settings");
    DeletionRequest byMallory = request(MALLORY, 5000, List.of(), List.of(alicesAddress));
    assertFalse(byMallory.deletes(SETTINGS_V1));
  }

  @Test
  void aDeletionRequestCannotBeDeleted() throws Exception {
    NostrEvent first = TestEvents.sign(ALICE,
        Deletions.request(ALICE.publicKey(), 2000, List.of(NOTE.id()), List.of(), List.of(), ""));
    DeletionRequest undo = request(ALICE, 3000, List.of(first.id()), List.of());
    assertFalse(undo.deletes(first));
  }

  @Test
  void ignoresMalformedTagValuesAndKeepsTheWellFormedOnes() throws Exception {
    NostrEvent mixed = TestEvents.event(ALICE, 2000, 5, "", Tag.of("e", "not-hex"),
        Tag.of("e", NOTE.id().hex().toUpperCase()), Tag.of("e"), Tag.of("a", "30078:nokey:d"),
        Tag.of("k", "one"), Tag.of("k", "70000"), Tag.of("e", NOTE.id().hex(), "wss://relay"),
        Tag.of("a", SETTINGS.toTagValue()), Tag.of("k", "1"), Tag.of("p", "aa".repeat(32)));
    DeletionRequest parsed = Deletions.parse(mixed);
    assertEquals(Set.of(NOTE.id()), parsed.eventIds());
    assertEquals(Set.of(SETTINGS), parsed.addresses());
    assertEquals(Set.of(1), parsed.kinds());
  }

  @Test
  void refusesARequestWithNothingWellFormedToDelete() {
    NostrEvent onlyKinds = TestEvents.event(ALICE, 2000, 5, "", Tag.of("k", "1"), Tag.of("e", "x"));
    DeletionParseException e = assertThrows(DeletionParseException.class, () -> Deletions.parse(onlyKinds));
    assertEquals(DeletionParseException.Reason.NO_TARGETS, e.reason());
  }

  @Test
  void refusesAnEventThatIsNotKind5() {
    NostrEvent note = TestEvents.event(ALICE, 2000, 1, "", Tag.of("e", NOTE.id().hex()));
    DeletionParseException e = assertThrows(DeletionParseException.class, () -> Deletions.parse(note));
    assertEquals(DeletionParseException.Reason.NOT_A_DELETION, e.reason());
  }

  @Test
  void refusesToBuildARequestThatNamesNothing() {
    assertThrows(IllegalArgumentException.class,
        () -> Deletions.request(ALICE.publicKey(), 1, List.of(), List.of(), List.of(1), ""));
  }

  @Test
  void aRecipientDeletesTheGiftWrapsAddressedToThem() throws Exception {
    KeyPair ephemeral = TestEvents.keys("one-time");
    NostrEvent wrapToAlice = TestEvents.event(ephemeral, 1000, 1059, "ciphertext",
        Tag.of("p", ALICE.publicKey().hex()));
    NostrEvent wrapToMallory = TestEvents.event(ephemeral, 1000, 1059, "ciphertext",
        Tag.of("p", MALLORY.publicKey().hex()));
    DeletionRequest byAlice = request(ALICE, 2000, List.of(wrapToAlice.id(), wrapToMallory.id()), List.of());
    assertFalse(byAlice.deletes(wrapToAlice)); // NIP-09 alone: alice is not the signer
    assertTrue(byAlice.deletesGiftWrap(wrapToAlice)); // NIP-59: she is the p-tagged recipient
    assertTrue(byAlice.appliesTo(wrapToAlice));
    assertFalse(byAlice.appliesTo(wrapToMallory));
    NostrEvent unlisted = TestEvents.event(ephemeral, 1000, 1059, "other", Tag.of("p", ALICE.publicKey().hex()));
    assertFalse(byAlice.appliesTo(unlisted));
  }

  @Test
  void readsADeletionRumorAndAppliesItToRumors() throws Exception {
    Rumor message = Rumor.of(new UnsignedEvent(ALICE.publicKey(), 1000, 14, Tags.EMPTY, "hi"));
    Rumor deletion = Rumor.of(Deletions.request(ALICE.publicKey(), 2000, List.of(message.id()),
        List.of(), List.of(14), ""));
    DeletionRequest parsed = Deletions.parse(deletion);
    assertEquals(deletion.id(), parsed.requestId());
    assertTrue(parsed.deletes(message));
    Rumor forged = Rumor.of(new UnsignedEvent(MALLORY.publicKey(), 1000, 14, Tags.EMPTY, "hi"));
    assertFalse(Deletions.parse(Rumor.of(Deletions.request(MALLORY.publicKey(), 2000,
        List.of(message.id()), List.of(), List.of(), ""))).deletes(message));
    assertFalse(parsed.deletes(forged));
  }
}
