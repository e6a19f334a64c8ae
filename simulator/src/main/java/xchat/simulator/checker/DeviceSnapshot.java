package xchat.simulator.checker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import xchat.engine.api.Message;
import xchat.engine.api.ReadMarker;

/**
 * What one device holds at the end, read through the engine's public API.
 *
 * @param messages per circle, per conversation, in the order the API returns them
 * @param relays per circle, its relay URLs
 * @param reads per "circle/conversation", the read marker if any
 * @param home the device's directory, for the at-rest scan
 */
public record DeviceSnapshot(
    String device,
    int account,
    Map<String, Map<String, List<Message>>> messages,
    Map<String, List<String>> relays,
    Map<String, List<String>> fileServers,
    Map<String, Optional<ReadMarker>> reads,
    Path home) {}
