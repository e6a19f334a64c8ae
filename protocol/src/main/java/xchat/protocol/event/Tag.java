package xchat.protocol.event;

import java.util.List;
import java.util.Optional;

/** One NIP-01 tag: a non-empty array of strings whose first element is the tag name. */
public record Tag(List<String> values) {

  public Tag {
    if (values == null || values.isEmpty()) {
      throw new IllegalArgumentException("a tag needs at least a name");
    }
    values = List.copyOf(values);
  }

  public static Tag of(String name, String... rest) {
    String[] all = new String[rest.length + 1];
    all[0] = name;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return new Tag(List.of(all));
  }

  public String name() {
    return values.get(0);
  }

  /** The first value after the name, if any. */
  public Optional<String> value() {
    return values.size() > 1 ? Optional.of(values.get(1)) : Optional.empty();
  }

  public Optional<String> get(int index) {
    return index < values.size() ? Optional.of(values.get(index)) : Optional.empty();
  }

  public int size() {
    return values.size();
  }
}
