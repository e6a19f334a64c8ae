package xchat.persistence.cursor;

/**
 * How far a device has synced one relay for one circle.
 *
 * @param since the newest wrap created_at known complete up to (the engine subscribes from this
 *     minus the NIP-59 two-day jitter)
 * @param updatedAt when the cursor was last advanced, in the engine's clock
 */
public record SyncCursor(long since, long updatedAt) {
  public SyncCursor {
    if (since < 0 || updatedAt < 0) {
      throw new IllegalArgumentException("cursor times must not be negative");
    }
  }
}
