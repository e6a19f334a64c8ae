package xchat.protocol.blossom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import xchat.protocol.blossom.BlobDescriptorParseException.Reason;

class BlobDescriptorTest {
  static final String SHA = "b1674191a88ec5cdd733e4240a81803105dc412d6c6708d53ab94fc248f4f553";
  static final BlobDescriptor PDF =
      new BlobDescriptor(
          "https://cdn.example.com/" + SHA + ".pdf", SHA, 184292, "application/pdf", 1725105921);

  static byte[] utf8(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parsesTheBud02Example() throws Exception {
    String json =
        "{\"url\": \"https://cdn.example.com/"
            + SHA
            + ".pdf\", \"sha256\": \""
            + SHA
            + "\","
            + " \"size\": 184292, \"type\": \"application/pdf\", \"uploaded\": 1725105921}";
    assertEquals(PDF, BlobDescriptor.parse(utf8(json)));
  }

  @Test
  void roundTripsOneAndAList() throws Exception {
    assertEquals(PDF, BlobDescriptor.parse(utf8(PDF.toJson())));
    BlobDescriptor other = new BlobDescriptor("http://127.0.0.1:9/" + SHA, SHA, 0, null, 0);
    assertEquals(
        List.of(PDF, other),
        BlobDescriptor.parseList(utf8(BlobDescriptor.toJson(List.of(PDF, other))), 10));
    assertEquals(List.of(), BlobDescriptor.parseList(utf8("[]"), 10));
  }

  @Test
  void skipsUnknownFieldsAndReadsTheOlderCreatedField() throws Exception {
    String json =
        "{\"magnet\":{\"a\":[1,2]},\"url\":\""
            + PDF.url()
            + "\",\"sha256\":\""
            + SHA
            + "\",\"size\":184292,\"type\":\"application/pdf\","
            + "\"created\":1725105921,\"ipfs\":null}";
    assertEquals(PDF, BlobDescriptor.parse(utf8(json)));
  }

  @Test
  void defaultsAMissingTypeToOctetStream() throws Exception {
    String json = "{\"url\":\"u\",\"sha256\":\"" + SHA + "\",\"size\":1,\"uploaded\":2}";
    assertEquals(BlobDescriptor.UNKNOWN_TYPE, BlobDescriptor.parse(utf8(json)).type());
  }

  @Test
  void refusesWhatIsNotADescriptor() {
    assertEquals(
        Reason.NOT_AN_OBJECT,
        assertThrows(BlobDescriptorParseException.class, () -> BlobDescriptor.parse(utf8("[]")))
            .reason());
    assertEquals(
        Reason.MISSING_FIELD,
        assertThrows(
                BlobDescriptorParseException.class,
                () -> BlobDescriptor.parse(utf8("{\"url\":\"u\",\"size\":1,\"uploaded\":2}")))
            .reason());
    assertEquals(
        Reason.BAD_HASH,
        assertThrows(
                BlobDescriptorParseException.class,
                () ->
                    BlobDescriptor.parse(
                        utf8(
                            "{\"url\":\"u\",\"sha256\":\""
                                + SHA.toUpperCase()
                                + "\",\"size\":1,\"uploaded\":2}")))
            .reason());
    assertEquals(
        Reason.WRONG_TYPE,
        assertThrows(
                BlobDescriptorParseException.class,
                () ->
                    BlobDescriptor.parse(
                        utf8(
                            "{\"url\":\"u\",\"sha256\":\""
                                + SHA
                                + "\",\"size\":\"1\",\"uploaded\":2}")))
            .reason());
    assertEquals(
        Reason.WRONG_TYPE,
        assertThrows(
                BlobDescriptorParseException.class,
                () ->
                    BlobDescriptor.parse(
                        utf8(
                            "{\"url\":\"u\",\"sha256\":\""
                                + SHA
                                + "\",\"size\":-1,\"uploaded\":2}")))
            .reason());
    assertEquals(
        Reason.MALFORMED_JSON,
        assertThrows(
                BlobDescriptorParseException.class,
                () -> BlobDescriptor.parse(utf8(PDF.toJson() + "{}")))
            .reason());
    assertEquals(
        Reason.MALFORMED_JSON,
        assertThrows(
                BlobDescriptorParseException.class, () -> BlobDescriptor.parse(utf8("{\"url\":")))
            .reason());
  }

  @Test
  void capsTheLengthOfAList() {
    String two = BlobDescriptor.toJson(List.of(PDF, PDF));
    assertEquals(
        Reason.TOO_MANY_ITEMS,
        assertThrows(
                BlobDescriptorParseException.class, () -> BlobDescriptor.parseList(utf8(two), 1))
            .reason());
    assertEquals(
        Reason.NOT_AN_ARRAY,
        assertThrows(
                BlobDescriptorParseException.class,
                () -> BlobDescriptor.parseList(utf8(PDF.toJson()), 1))
            .reason());
  }
}
