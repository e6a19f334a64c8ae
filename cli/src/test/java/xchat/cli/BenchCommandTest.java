package xchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bench at tiny sizes: a table on stdout, valid JSON and a self-contained HTML page. */
class BenchCommandTest {
  @TempDir Path dir;

  @Test
  void syncPrintsRoundsAndBytesNextToSendingEveryId() throws Exception {
    CliTest.Result result = bench("sync", "--sizes", "2000", "--differences", "0.01,0.1");
    assertTrue(result.out().contains("total / every id (%)"), result.out());
    assertTrue(result.lines().stream().anyMatch(l -> l.strip().matches("2,000 +1% +20 .*64,000 .*")), result.out());
    assertEquals(2, rows(dir.resolve("sync.json")).size());
  }

  @Test
  void ingestComparesTheEndToEndRateWithTheCryptoFloor() throws Exception {
    CliTest.Result result = bench("ingest", "--wraps", "60", "--live", "5", "--senders", "3", "--rounds", "3",
        "--warm-jit", "0");
    assertTrue(result.out().contains("end to end: relay -> encrypted log"), result.out());
    assertTrue(result.out().contains("crypto floor, 1 thread"), result.out());
    assertTrue(result.out().contains("end to end, round 1 (cold JVM)"), result.out());
    assertTrue(result.out().contains("end to end, round 2"), result.out());
    assertTrue(result.out().contains("floor CPU / CPU (%)"), result.out());
    assertTrue(result.out().contains("JIT per wrap (us)"), result.out());
    assertTrue(result.out().contains("Where the measured round's CPU went, per wrap"), result.out());
    assertTrue(result.lines().stream().anyMatch(l -> l.strip().startsWith("engine ")), result.out());
    assertEquals(2 + 3 + 6 + 1, rows(dir.resolve("ingest.json")).size(),
        "two floor rows, three rounds, six thread groups and one latency row");
  }

  @Test
  void sendReportsLatencyPercentilesAndABurstRate() throws Exception {
    CliTest.Result result = bench("send", "--sends", "5", "--burst", "5");
    assertTrue(result.out().contains("send -> SENT, one at a time"), result.out());
    assertTrue(result.out().contains("p99 (ms)"), result.out());
    assertEquals(2, rows(dir.resolve("send.json")).size());
  }

  @Test
  void relayReportsAcceptedEventsAndReqLatency() throws Exception {
    CliTest.Result result = bench("relay", "--events", "300", "--publish", "128", "--queries", "5");
    assertTrue(result.out().contains("EVENT -> OK true"), result.out());
    assertTrue(result.out().contains("REQ -> EOSE over 300 stored events"), result.out());
    assertEquals(3 + 5 + 1, rows(dir.resolve("relay.json")).size());
  }

  @Test
  void mediaComparesSendFileAndGetFileWithAPlainCopy() throws Exception {
    CliTest.Result result = bench("media", "--size-mb", "3");
    assertTrue(result.out().contains("send-file (encrypt + upload)"), result.out());
    assertTrue(result.out().contains("get-file from the encrypted cache"), result.out());
    assertTrue(result.out().contains("peak heap (MB)"), result.out());
    assertEquals(4, rows(dir.resolve("media.json")).size());
  }

  @Test
  void badSizesAreUsageErrors() {
    assertEquals(2, CliTest.run("", "bench", "sync", "--differences", "0").code());
    assertEquals(2, CliTest.run("", "bench", "send", "--sends", "0").code());
    assertEquals(2, CliTest.run("", "bench", "media", "--size-mb", "0").code());
    assertEquals(2, CliTest.run("", "bench", "ingest", "--warm-jit", "101").code());
    assertEquals(2, CliTest.run("", "bench").code());
  }

  private CliTest.Result bench(String name, String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("bench", name));
    args.addAll(List.of(options));
    args.addAll(List.of("--json", dir.resolve(name + ".json").toString(), "--html", dir.resolve(name + ".html").toString()));
    CliTest.Result result = CliTest.run("", args.toArray(String[]::new));
    assertEquals(0, result.code(), result.out() + result.err());
    assertEquals("", result.err(), "no progress when stderr is not a terminal");
    assertTrue(result.out().contains("reproduce: ./xchat bench " + name), result.out());
    checkHtml(dir.resolve(name + ".html"));
    return result;
  }

  /** The rows of every table in the JSON file. */
  private static List<String> rows(Path json) throws IOException {
    List<String> rows = new ArrayList<>();
    try (JsonParser parser = new JsonFactory().createParser(json.toFile())) {
      int depth = 0;
      boolean inRows = false;
      int rowsDepth = -1;
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.FIELD_NAME && parser.currentName().equals("rows")) {
          inRows = true;
          rowsDepth = depth;
        } else if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          depth++;
          if (inRows && token == JsonToken.START_OBJECT && depth == rowsDepth + 2) {
            rows.add("row");
          }
        } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          depth--;
          if (inRows && depth == rowsDepth) {
            inRows = false;
          }
        }
      }
    }
    return rows;
  }

  /** No scripts, nothing fetched, and each inline SVG chart is well-formed XML with bars. */
  private static void checkHtml(Path file) throws Exception {
    String html = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(html.startsWith("<!DOCTYPE html>"), file.toString());
    assertTrue(!html.contains("<script") && !html.contains("src=") && !html.contains("href="), "self-contained: " + file);
    Matcher svg = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(html);
    int charts = 0;
    while (svg.find()) {
      charts++;
      DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(new java.io.ByteArrayInputStream(svg.group().getBytes(StandardCharsets.UTF_8)));
      assertTrue(svg.group().contains("<rect"), "a chart has bars: " + file);
    }
    assertTrue(charts >= 1, "at least one chart in " + file);
  }
}
