package xchat.protocol.blossom;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import xchat.protocol.nip17.FileMetadata;

/**
 * Blossom server URLs and the blob URLs built from them. A server is named by its root (BUD-01:
 * every endpoint is served from the root), kept here as {@code scheme://host[:port][/path]} with no
 * trailing slash.
 */
public final class BlossomServers {
  private static final int MAX_EXTENSION = 10;

  private BlossomServers() {}

  /**
   * The normal form of a server URL: http or https, a host, no user info, query or fragment; scheme
   * and host lower-cased, default port and trailing slashes dropped. Empty otherwise.
   */
  public static Optional<URI> normalize(String url) {
    if (url == null) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      return Optional.empty(); // not a URL: it names no server
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    int defaultPort =
        switch (scheme) {
          case "http" -> 80;
          case "https" -> 443;
          default -> -1;
        };
    if (defaultPort < 0
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
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
    return Optional.of(URI.create(out.toString()));
  }

  /** {@code <server>/<sha256><extension>}; the extension is empty or like {@code .png}. */
  public static URI blobUrl(URI server, String sha256, String extension) {
    URI root =
        normalize(server.toString())
            .orElseThrow(() -> new IllegalArgumentException("not a Blossom server URL"));
    Sha256Hex.require(sha256, "sha256");
    if (!extension.isEmpty() && !isExtension(extension)) {
      throw new IllegalArgumentException(
          "extension must be '.' and 1.." + MAX_EXTENSION + " letters or digits");
    }
    return URI.create(root + "/" + sha256 + extension);
  }

  /** The endpoint {@code path} (like {@code upload} or {@code list/<pubkey>}) of a server. */
  public static URI endpoint(URI server, String path) {
    URI root =
        normalize(server.toString())
            .orElseThrow(() -> new IllegalArgumentException("not a Blossom server URL"));
    return URI.create(root + "/" + path);
  }

  /** NIP-B7: the 64-hex name at the end of a blob URL, with or without a file extension. */
  public static Optional<String> sha256In(String url) {
    String name = lastSegment(url);
    int dot = name.indexOf('.');
    String hash = dot < 0 ? name : name.substring(0, dot);
    if (dot >= 0 && !isExtension(name.substring(dot))) {
      return Optional.empty();
    }
    return Sha256Hex.isValid(hash) ? Optional.of(hash) : Optional.empty();
  }

  /**
   * The server root of a blob URL ({@code https://cdn.example.com/<sha256>.png} gives {@code
   * https://cdn.example.com}); empty unless the URL ends in a blob name on an http(s) server.
   */
  public static Optional<URI> serverOf(String blobUrl) {
    if (sha256In(blobUrl).isEmpty()) {
      return Optional.empty();
    }
    String trimmed = blobUrl.strip();
    return normalize(trimmed.substring(0, trimmed.lastIndexOf('/') + 1));
  }

  /** The file extension of a blob URL ({@code .png}), or empty. */
  public static String extensionIn(String url) {
    String name = lastSegment(url);
    int dot = name.indexOf('.');
    return dot >= 0 && isExtension(name.substring(dot)) ? name.substring(dot) : "";
  }

  /**
   * Where to look for the blob of a kind-15 file, in order: its URL, its {@code fallback} URLs,
   * then the same hash on each of the sender's kind-10063 servers (NIP-B7). Duplicates and URLs
   * that are not http(s) are dropped.
   */
  public static List<URI> downloadCandidates(FileMetadata file, Collection<URI> senderServers) {
    Set<URI> out = new LinkedHashSet<>();
    addIfHttp(out, file.url());
    for (String fallback : file.fallbackUrls()) {
      addIfHttp(out, fallback);
    }
    String extension = extensionIn(file.url());
    for (URI server : senderServers) {
      if (normalize(server.toString()).isPresent()) {
        out.add(blobUrl(server, file.encryptedSha256(), extension));
      }
    }
    return new ArrayList<>(out);
  }

  private static void addIfHttp(Set<URI> out, String url) {
    try {
      URI uri = new URI(url.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        out.add(uri);
      }
    } catch (URISyntaxException e) {
      // A URL the sender got wrong is skipped: the other candidates may still serve the blob.
    }
  }

  private static String lastSegment(String url) {
    if (url == null) {
      return "";
    }
    String path = url;
    try {
      URI uri = new URI(url.strip());
      path = uri.getRawPath() == null ? "" : uri.getRawPath();
    } catch (URISyntaxException e) {
      return "";
    }
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }

  private static boolean isExtension(String extension) {
    if (extension.length() < 2
        || extension.length() > MAX_EXTENSION + 1
        || extension.charAt(0) != '.') {
      return false;
    }
    for (int i = 1; i < extension.length(); i++) {
      char c = extension.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }
}
