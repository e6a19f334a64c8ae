package xchat.protocol.event;

/** NIP-59: an unsigned event that carries its id, so it can be referenced but not proven. */
public record Rumor(EventId id, UnsignedEvent event) {

  public Rumor {
    if (id == null || event == null) {
      throw new IllegalArgumentException("rumor needs an id and an event");
    }
    if (!id.equals(event.id())) {
      throw new IllegalArgumentException("rumor id is not the hash of its canonical serialisation");
    }
  }

  public static Rumor of(UnsignedEvent event) {
    return new Rumor(event.id(), event);
  }
}
