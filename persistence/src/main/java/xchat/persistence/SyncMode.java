package xchat.persistence;

/** When a commit reaches stable storage. The WAL is always on; see README.md for the trade-off. */
public enum SyncMode {
  /** Each commit fsyncs the WAL before it returns: an acknowledged batch survives power loss. */
  PER_BATCH,
  /**
   * Commits reach the OS page cache and survive a process crash; they reach the disk on
   * {@link EncryptedStore#flushWal()}, on the periodic flush, or when the OS writes back.
   */
  GROUP_COMMIT
}
