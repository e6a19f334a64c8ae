package xchat.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import xchat.protocol.hex.Hex;

/**
 * Known answers for the unhashed x-only ECDH: NIP-44's conversation key is
 * HKDF-extract(salt "nip44-v2", shared_x) = HMAC-SHA256("nip44-v2", shared_x), so its vectors pin
 * shared_x down on both backends.
 */
class Secp256k1EcdhVectorsTest {

  private static final String RESOURCE = "/vectors/nip44.vectors.json";
  private static final Map<String, Object> VECTORS = loadJson();

  static Stream<Arguments> conversationKeys() {
    return cross("valid");
  }

  static Stream<Arguments> invalidPairs() {
    return cross("invalid");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("conversationKeys")
  void sharedXMatchesTheNip44ConversationKey(String backendName, Map<String, String> vector) {
    byte[] sharedX =
        Secp256k1Backends.select(backendName)
            .ecdhXOnly(Hex.decode(vector.get("sec1")), Hex.decode(vector.get("pub2")));
    assertEquals(32, sharedX.length);
    assertEquals(vector.get("conversation_key"), Hex.encode(hkdfExtract(sharedX)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("invalidPairs")
  void rejectsTheNip44InvalidKeyPairs(String backendName, Map<String, String> vector) {
    Secp256k1 backend = Secp256k1Backends.select(backendName);
    byte[] secretKey = Hex.decode(vector.get("sec1"));
    byte[] publicKey = Hex.decode(vector.get("pub2"));
    InvalidKeyException e =
        assertThrows(InvalidKeyException.class, () -> backend.ecdhXOnly(secretKey, publicKey));
    assertFalse(e.getMessage().contains(vector.get("sec1")), vector.get("note"));
  }

  private static byte[] hkdfExtract(byte[] ikm) {
    HMac hmac = new HMac(new SHA256Digest());
    hmac.init(new KeyParameter("nip44-v2".getBytes(StandardCharsets.US_ASCII)));
    hmac.update(ikm, 0, ikm.length);
    byte[] out = new byte[32];
    hmac.doFinal(out, 0);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Stream<Arguments> cross(String validity) {
    Map<String, Object> v2 = (Map<String, Object>) VECTORS.get("v2");
    Map<String, Object> group = (Map<String, Object>) v2.get(validity);
    List<Object> vectors = (List<Object>) group.get("get_conversation_key");
    if (vectors == null || vectors.isEmpty()) {
      throw new IllegalStateException("no " + validity + " get_conversation_key vectors");
    }
    return TestBackends.both().stream()
        .flatMap(backend -> vectors.stream().map(vector -> Arguments.of(backend.name(), vector)));
  }

  private static Map<String, Object> loadJson() {
    try (InputStream in = Secp256k1EcdhVectorsTest.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the test classpath");
      }
      try (JsonParser parser = new JsonFactory().createParser(in)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          throw new IllegalStateException(RESOURCE + " is not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) readValue(parser);
        return root;
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE, e);
    }
  }

  /** Reads the value at the current token into maps, lists, strings and numbers. */
  private static Object readValue(JsonParser parser) throws IOException {
    switch (parser.currentToken()) {
      case START_OBJECT:
        Map<String, Object> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          parser.nextToken();
          map.put(name, readValue(parser));
        }
        return map;
      case START_ARRAY:
        List<Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          list.add(readValue(parser));
        }
        return list;
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getLongValue();
      default:
        throw new IllegalStateException("unexpected JSON token " + parser.currentToken());
    }
  }
}
