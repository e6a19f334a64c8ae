package xchat.protocol.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The ordered tag list of an event. */
public record Tags(List<Tag> list) {
  public static final Tags EMPTY = new Tags(List.of());

  public Tags {
    if (list == null) {
      throw new IllegalArgumentException("tags must not be null");
    }
    list = List.copyOf(list);
  }

  public static Tags of(Tag... tags) {
    return new Tags(List.of(tags));
  }

  public Stream<Tag> named(String name) {
    return list.stream().filter(tag -> tag.name().equals(name));
  }

  /** Values (element 1) of every tag with this name, in order. */
  public List<String> values(String name) {
    List<String> out = new ArrayList<>();
    for (Tag tag : list) {
      if (tag.name().equals(name) && tag.size() > 1) {
        out.add(tag.values().get(1));
      }
    }
    return out;
  }

  public Optional<String> first(String name) {
    for (Tag tag : list) {
      if (tag.name().equals(name) && tag.size() > 1) {
        return Optional.of(tag.values().get(1));
      }
    }
    return Optional.empty();
  }

  public Tags with(Tag tag) {
    List<Tag> copy = new ArrayList<>(list);
    copy.add(tag);
    return new Tags(copy);
  }

  public int size() {
    return list.size();
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }
}
