package xchat.engine.api;

import java.util.Objects;

/** One device of this account, as it announced itself through the device state. */
public record DeviceInfo(String id, String label, long lastSeenMillis, boolean self) {
  public DeviceInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(label, "label");
  }
}
