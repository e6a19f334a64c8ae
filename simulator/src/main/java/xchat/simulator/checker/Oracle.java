package xchat.simulator.checker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** What the workload did, as ground truth for the checker. */
public final class Oracle {

  /**
   * One message the workload sent.
   *
   * @param participants account indexes, the sender's included
   * @param createdAt the rumor's created_at (the sender's clock, skew included)
   * @param returned whether send() returned: the engine said the message is durably queued
   */
  public record Sent(String id, String circle, String conversation, int senderAccount, String senderDevice,
      List<Integer> participants, long createdAt, OptionalLong expiresAt, long sentAt, boolean returned) {}

  /** A delete() that returned on {@code device}. */
  public record Deleted(String id, String device, long at) {}

  private final Map<String, Sent> sent = new LinkedHashMap<>();
  private final Map<String, Deleted> deleted = new LinkedHashMap<>();

  public void sent(Sent message) {
    sent.put(message.id(), message);
  }

  public void deleted(Deleted deletion) {
    deleted.putIfAbsent(deletion.id(), deletion);
  }

  public Map<String, Sent> sent() {
    return sent;
  }

  public Map<String, Deleted> deleted() {
    return deleted;
  }

  public boolean isDeleted(String id) {
    return deleted.containsKey(id);
  }
}
