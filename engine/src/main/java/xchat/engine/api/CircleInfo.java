package xchat.engine.api;

import java.util.List;
import java.util.Objects;

/** A circle: its own relays, sockets, keys and cursors. Messages never cross circles. */
public record CircleInfo(String name, List<String> relays, List<String> fileServers) {
  public CircleInfo {
    Objects.requireNonNull(name, "name");
    relays = List.copyOf(relays);
    fileServers = List.copyOf(fileServers);
  }
}
