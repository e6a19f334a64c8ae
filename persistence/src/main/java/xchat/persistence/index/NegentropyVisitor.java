package xchat.persistence.index;

/**
 * Receives NIP-77 items in (created_at, id) order without allocating an {@code EventId} per item.
 * The {@code id} array is fresh for each call and belongs to the visitor.
 */
@FunctionalInterface
public interface NegentropyVisitor {
  void visit(long createdAt, byte[] id);
}
