package xchat.protocol.nip44;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import xchat.protocol.crypto.InvalidKeyException;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.hex.Hex;

/** Every case of the published NIP-44 v2 vectors (sha256 269ed0f6...5040, as 44.md lists). */
class Nip44VectorsTest {
  private static final Object VECTORS = JsonTree.readResource("/vectors/nip44.vectors.json");
  private static final Secp256k1 CURVE = new TestCurve();

  @TestFactory
  Stream<DynamicTest> derivesEveryValidConversationKey() {
    return cases("valid", "get_conversation_key").stream()
        .map(JsonTree::object)
        .map(
            v ->
                DynamicTest.dynamicTest(
                    (String) v.get("sec1"),
                    () -> {
                      ConversationKey key =
                          Nip44.conversationKey(CURVE, hex(v, "sec1"), hex(v, "pub2"));
                      assertArrayEquals(hex(v, "conversation_key"), key.bytes());
                    }));
  }

  @TestFactory
  Stream<DynamicTest> derivesEveryMessageKey() {
    Map<String, Object> group = JsonTree.object(VECTORS, "v2", "valid", "get_message_keys");
    ConversationKey key = new ConversationKey(hex(group, "conversation_key"));
    return JsonTree.array(group, "keys").stream()
        .map(JsonTree::object)
        .map(
            v ->
                DynamicTest.dynamicTest(
                    (String) v.get("nonce"),
                    () -> {
                      MessageKeys keys = MessageKeys.derive(key, hex(v, "nonce"));
                      assertArrayEquals(hex(v, "chacha_key"), keys.chachaKey());
                      assertArrayEquals(hex(v, "chacha_nonce"), keys.chachaNonce());
                      assertArrayEquals(hex(v, "hmac_key"), keys.hmacKey());
                    }));
  }

  @TestFactory
  Stream<DynamicTest> padsEveryListedLength() {
    return cases("valid", "calc_padded_len").stream()
        .map(JsonTree::array)
        .map(
            pair ->
                DynamicTest.dynamicTest(
                    pair.get(0) + " -> " + pair.get(1),
                    () ->
                        assertEquals(
                            ((Long) pair.get(1)).intValue(),
                            Nip44.paddedLength(((Long) pair.get(0)).intValue()))));
  }

  @TestFactory
  Stream<DynamicTest> encryptsAndDecryptsEveryConversation() {
    return cases("valid", "encrypt_decrypt").stream()
        .map(JsonTree::object)
        .map(
            v ->
                DynamicTest.dynamicTest(
                    (String) v.get("payload"),
                    () -> {
                      byte[] sec1 = hex(v, "sec1");
                      byte[] sec2 = hex(v, "sec2");
                      ConversationKey expected = new ConversationKey(hex(v, "conversation_key"));
                      ConversationKey senderSide =
                          Nip44.conversationKey(CURVE, sec1, CURVE.xOnlyPublicKey(sec2));
                      assertEquals(expected, senderSide);
                      String payload =
                          Nip44.encrypt((String) v.get("plaintext"), senderSide, hex(v, "nonce"));
                      assertEquals(v.get("payload"), payload);
                      ConversationKey recipientSide =
                          Nip44.conversationKey(CURVE, sec2, CURVE.xOnlyPublicKey(sec1));
                      assertEquals(expected, recipientSide);
                      assertEquals(v.get("plaintext"), Nip44.decrypt(payload, recipientSide));
                    }));
  }

  @TestFactory
  Stream<DynamicTest> encryptsAndDecryptsEveryLongMessageByChecksum() {
    return cases("valid", "encrypt_decrypt_long_msg").stream()
        .map(JsonTree::object)
        .map(
            v ->
                DynamicTest.dynamicTest(
                    v.get("pattern") + " x " + v.get("repeat"),
                    () -> {
                      String plaintext =
                          ((String) v.get("pattern")).repeat(((Long) v.get("repeat")).intValue());
                      assertEquals(
                          v.get("plaintext_sha256"),
                          sha256Hex(plaintext.getBytes(StandardCharsets.UTF_8)));
                      ConversationKey key = new ConversationKey(hex(v, "conversation_key"));
                      String payload = Nip44.encrypt(plaintext, key, hex(v, "nonce"));
                      assertEquals(
                          v.get("payload_sha256"),
                          sha256Hex(payload.getBytes(StandardCharsets.US_ASCII)));
                      assertEquals(plaintext, Nip44.decrypt(payload, key));
                    }));
  }

  @TestFactory
  Stream<DynamicTest> refusesEveryInvalidPlaintextLength() {
    ConversationKey key = new ConversationKey(new byte[32]);
    return cases("invalid", "encrypt_msg_lengths").stream()
        .map(length -> ((Long) length).intValue())
        .map(
            length ->
                DynamicTest.dynamicTest(
                    length + " bytes",
                    () -> {
                      InvalidPlaintextException e =
                          assertThrows(
                              InvalidPlaintextException.class,
                              () -> Nip44.encrypt("a".repeat(length), key, new byte[32]));
                      assertEquals(
                          length == 0
                              ? InvalidPlaintextException.Reason.EMPTY
                              : InvalidPlaintextException.Reason.TOO_LONG,
                          e.reason());
                    }));
  }

  @TestFactory
  Stream<DynamicTest> refusesEveryInvalidConversationKeyInput() {
    return cases("invalid", "get_conversation_key").stream()
        .map(JsonTree::object)
        .map(
            v ->
                DynamicTest.dynamicTest(
                    (String) v.get("note"),
                    () ->
                        assertThrows(
                            InvalidKeyException.class,
                            () -> Nip44.conversationKey(CURVE, hex(v, "sec1"), hex(v, "pub2")))));
  }

  @TestFactory
  Stream<DynamicTest> refusesEveryInvalidPayloadWithTheRightReason() {
    return cases("invalid", "decrypt").stream()
        .map(JsonTree::object)
        .map(
            v ->
                DynamicTest.dynamicTest(
                    (String) v.get("note"),
                    () -> {
                      ConversationKey key = new ConversationKey(hex(v, "conversation_key"));
                      Nip44Exception e =
                          assertThrows(
                              Nip44Exception.class,
                              () -> Nip44.decrypt((String) v.get("payload"), key));
                      assertEquals(expectedReason((String) v.get("note")), e.reason());
                    }));
  }

  private static Nip44Exception.Reason expectedReason(String note) {
    if (note.startsWith("unknown encryption version")) {
      return Nip44Exception.Reason.UNKNOWN_VERSION;
    }
    if (note.startsWith("invalid payload length")) {
      return Nip44Exception.Reason.INVALID_LENGTH;
    }
    switch (note) {
      case "invalid base64":
        return Nip44Exception.Reason.INVALID_BASE64;
      case "invalid MAC":
        return Nip44Exception.Reason.INVALID_MAC;
      case "invalid padding":
        return Nip44Exception.Reason.INVALID_PADDING;
      default:
        return fail("vector note not mapped to a reason: " + note);
    }
  }

  private static List<Object> cases(String validity, String name) {
    return JsonTree.array(VECTORS, "v2", validity, name);
  }

  private static byte[] hex(Map<String, Object> vector, String field) {
    return Hex.decode((String) vector.get(field));
  }

  private static String sha256Hex(byte[] bytes) throws NoSuchAlgorithmException {
    return Hex.encode(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
