package xchat.protocol.blossom;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.keys.PublicKey;

/**
 * NIP-B7 / BUD-03: a user's Blossom servers, a replaceable kind-10063 event with one {@code
 * ["server", url]} tag per server, most trusted first.
 */
public record BlossomServerList(PublicKey author, long createdAt, List<URI> servers) {
  public static final int KIND = 10063;

  public BlossomServerList {
    if (author == null || createdAt < 0 || servers == null) {
      throw new IllegalArgumentException("author, created_at and servers are required");
    }
    Set<URI> normal = new LinkedHashSet<>();
    for (URI server : servers) {
      normal.add(
          BlossomServers.normalize(server.toString())
              .orElseThrow(() -> new IllegalArgumentException("not a Blossom server URL")));
    }
    servers = List.copyOf(normal);
  }

  /**
   * The list in a kind-10063 event; empty when the kind is wrong. Server tags that are not http(s)
   * URLs are skipped, because one bad entry should not hide the others.
   */
  public static Optional<BlossomServerList> parse(NostrEvent event) {
    if (event.kind() != KIND) {
      return Optional.empty();
    }
    List<URI> servers = new ArrayList<>();
    for (String value : event.tags().values("server")) {
      BlossomServers.normalize(value).ifPresent(servers::add);
    }
    return Optional.of(new BlossomServerList(event.pubkey(), event.createdAt(), servers));
  }

  public UnsignedEvent toUnsignedEvent() {
    List<Tag> tags = new ArrayList<>(servers.size());
    for (URI server : servers) {
      tags.add(Tag.of("server", server.toString()));
    }
    return new UnsignedEvent(author, createdAt, KIND, new Tags(tags), "");
  }
}
