package xchat.engine.transport;

import java.net.URI;
import java.util.Objects;
import xchat.protocol.nip42.RelayUrls;

/**
 * A relay's WebSocket URL in NIP-42 normal form (lower-case scheme and host, no default port, no
 * trailing slash), so that two spellings of one relay are one key.
 */
public record RelayUrl(String value) implements Comparable<RelayUrl> {

  public RelayUrl {
    Objects.requireNonNull(value, "value");
    String normal = RelayUrls.normalize(value)
        .orElseThrow(() -> new IllegalArgumentException("not a ws:// or wss:// relay URL"));
    if (!normal.equals(value)) {
      throw new IllegalArgumentException("relay URL is not in normal form; use RelayUrl.of");
    }
  }

  /** Normalises {@code url}; throws {@link IllegalArgumentException} unless it is ws:// or wss://. */
  public static RelayUrl of(String url) {
    return new RelayUrl(RelayUrls.normalize(url)
        .orElseThrow(() -> new IllegalArgumentException("not a ws:// or wss:// relay URL")));
  }

  public URI uri() {
    return URI.create(value);
  }

  /** NIP-11: the information document is served over http(s) at the same URI. */
  public URI informationUri() {
    URI ws = uri();
    String scheme = "wss".equals(ws.getScheme()) ? "https" : "http";
    String path = ws.getRawPath() == null || ws.getRawPath().isEmpty() ? "/" : ws.getRawPath();
    String query = ws.getRawQuery() == null ? "" : "?" + ws.getRawQuery();
    String port = ws.getPort() < 0 ? "" : ":" + ws.getPort();
    return URI.create(scheme + "://" + ws.getHost() + port + path + query);
  }

  @Override
  public int compareTo(RelayUrl other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
