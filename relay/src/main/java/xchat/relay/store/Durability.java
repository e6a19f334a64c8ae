package xchat.relay.store;

/** When the store reports a write as done, and so when the relay may answer OK true. */
public enum Durability {
  /**
   * The write is in the RocksDB write-ahead log and the log has been fsynced. Writes that arrive
   * together share one fsync (group commit), so the cost is per batch, not per event.
   */
  SYNC,
  /**
   * The write is in the write-ahead log in the OS page cache: it survives a crash of the process,
   * not a crash of the machine.
   */
  WAL
}
