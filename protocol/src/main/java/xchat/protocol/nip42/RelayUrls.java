package xchat.protocol.nip42;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Relay URL normalisation for NIP-42's relay tag check ("URL normalization techniques can be
 * applied"): scheme and host are lower-cased, a default port (80 for ws, 443 for wss) is dropped,
 * trailing slashes of the path are dropped, and the fragment is ignored. The query is kept.
 */
public final class RelayUrls {
  private RelayUrls() {}

  /** Empty unless {@code url} is an absolute ws:// or wss:// URL with a host and no user info. */
  public static Optional<String> normalize(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.empty(); // not a URL at all: it cannot name this relay
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    int defaultPort = switch (scheme) {
      case "ws" -> 80;
      case "wss" -> 443;
      default -> -1;
    };
    if (defaultPort < 0 || uri.getHost() == null || uri.getRawUserInfo() != null) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder(url.length());
    out.append(scheme).append("://").append(uri.getHost().toLowerCase(Locale.ROOT));
    if (uri.getPort() >= 0 && uri.getPort() != defaultPort) {
      out.append(':').append(uri.getPort());
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    int end = path.length();
    while (end > 0 && path.charAt(end - 1) == '/') {
      end--;
    }
    out.append(path, 0, end);
    if (uri.getRawQuery() != null) {
      out.append('?').append(uri.getRawQuery());
    }
    return Optional.of(out.toString());
  }

  /** True when both URLs are valid relay URLs with the same normal form. */
  public static boolean sameRelay(String a, String b) {
    Optional<String> left = normalize(a);
    return left.isPresent() && left.equals(normalize(b));
  }
}
