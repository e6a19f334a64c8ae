package xchat.protocol.nip77;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs both sides of a reconciliation in one process, e.g. for tests, benchmarks and simulation.
 */
public final class NegentropySession {
  /** Far above any real run (a 1M-item set with a 4096-byte frame needs a few hundred rounds). */
  static final int MAX_ROUNDS = 100_000;

  private NegentropySession() {}

  /**
   * What one reconciliation cost.
   *
   * @param rounds server replies, i.e. round trips
   * @param bytesClientToServer all client messages, the initial one included
   * @param bytesServerToClient all server replies
   */
  public record Stats(
      int rounds,
      long bytesClientToServer,
      long bytesServerToClient,
      int clientItems,
      int serverItems,
      int haveCount,
      int needCount) {
    public long totalBytes() {
      return bytesClientToServer + bytesServerToClient;
    }
  }

  /**
   * The outcome for the client: {@code have} are ids only the client holds, {@code need} ids only
   * the server holds.
   */
  public record Result(List<byte[]> have, List<byte[]> need, Stats stats) {
    public Result {
      have = deepCopy(have);
      need = deepCopy(need);
      Objects.requireNonNull(stats, "stats");
    }

    @Override
    public List<byte[]> have() {
      return deepCopy(have);
    }

    @Override
    public List<byte[]> need() {
      return deepCopy(need);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Result other
          && sameIds(have, other.have)
          && sameIds(need, other.need)
          && stats.equals(other.stats);
    }

    @Override
    public int hashCode() {
      int hash = stats.hashCode();
      for (byte[] id : have) {
        hash = 31 * hash + Arrays.hashCode(id);
      }
      for (byte[] id : need) {
        hash = 31 * hash + Arrays.hashCode(id);
      }
      return hash;
    }

    @Override
    public String toString() {
      return "Result[have " + have.size() + " ids, need " + need.size() + " ids, " + stats + "]";
    }

    private static boolean sameIds(List<byte[]> a, List<byte[]> b) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!Arrays.equals(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }

    private static List<byte[]> deepCopy(List<byte[]> ids) {
      List<byte[]> copy = new ArrayList<>(ids.size());
      for (byte[] id : ids) {
        copy.add(id.clone());
      }
      return List.copyOf(copy);
    }
  }

  /**
   * Reconciles {@code client} against {@code server}, both limiting frames to {@code
   * frameSizeLimit} (0 for none).
   */
  public static Result reconcileInMemory(
      NegentropyStorage client, NegentropyStorage server, long frameSizeLimit) {
    Negentropy clientSide = new Negentropy(client, frameSizeLimit);
    Negentropy serverSide = new Negentropy(server, frameSizeLimit);
    List<byte[]> have = new ArrayList<>();
    List<byte[]> need = new ArrayList<>();
    byte[] query = clientSide.initiate();
    long up = query.length;
    long down = 0;
    int rounds = 0;
    while (true) {
      if (rounds == MAX_ROUNDS) {
        throw new IllegalStateException("no convergence after " + MAX_ROUNDS + " rounds");
      }
      byte[] reply = serverSide.reconcile(query);
      rounds++;
      down += reply.length;
      Optional<byte[]> next = clientSide.reconcile(reply, have, need);
      if (next.isEmpty()) {
        break;
      }
      query = next.get();
      up += query.length;
    }
    Stats stats =
        new Stats(rounds, up, down, client.size(), server.size(), have.size(), need.size());
    return new Result(have, need, stats);
  }
}
