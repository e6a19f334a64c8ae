package xchat.simulator.world;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import xchat.engine.api.CircleInfo;
import xchat.engine.api.Conversation;
import xchat.engine.api.MessageHandle;
import xchat.engine.api.MessagePage;
import xchat.engine.api.SendOptions;
import xchat.engine.api.XChat;
import xchat.engine.api.XChatException;
import xchat.protocol.hex.Hex;
import xchat.simulator.checker.Oracle;
import xchat.simulator.faults.Fault;
import xchat.simulator.report.Trace;

/**
 * What the users do, drawn from the seed: chats of two and of several accounts in every circle,
 * deletes (some right after the send), disappearing messages, read markers, the same circle
 * edited on two devices of an account at once, and a device that joins late.
 */
final class Workload {
  /** A send whose call threw: its message may still exist. */
  record PendingSend(int account, String device, List<Integer> participants, long at) {}

  private final World world;
  private final Drbg random;
  private final List<List<Integer>> rooms = new ArrayList<>();
  private int counter;

  Workload(World world) {
    this.world = world;
    this.random = world.random;
    int n = world.accounts.size();
    for (int i = 0; i < n; i++) {
      rooms.add(List.of(i, (i + 1) % n));
    }
    for (int i = 0; i + 2 < n; i += 4) {
      List<Integer> group = new ArrayList<>(List.of(i, i + 1, i + 2));
      if (i + 3 < n) {
        group.add(i + 3);
      }
      rooms.add(group);
    }
    if (n == 2) {
      rooms.subList(1, rooms.size()).clear();
    }
  }

  void schedule() {
    long chaos = world.config.chaos().toMillis();
    long start = Math.min(2_000, chaos / 10);
    long end = Math.max(start + 1, chaos - 2_000);
    int sends = (int) Math.round(world.config.sendsPerAccount() * world.accounts.size());
    for (int i = 0; i < sends; i++) {
      long at = start + (long) (random.nextDouble() * (end - start));
      world.sim.scheduleControl(at, this::send);
    }
    for (int i = 0; i < sends / 6; i++) {
      world.sim.scheduleControl(start + (long) (random.nextDouble() * (end - start)), this::deleteSomething);
    }
    for (int i = 0; i < sends / 3; i++) {
      world.sim.scheduleControl(start + (long) (random.nextDouble() * (end - start)), this::markRead);
    }
    for (int account = 0; account < world.accounts.size(); account++) {
      int a = account;
      if (world.devicesByAccount.get(a).size() >= 2 && random.chance(0.5)) {
        world.sim.scheduleControl(start + (long) (random.nextDouble() * (end - start)), () -> editCircle(a));
      }
      if (random.chance(world.config.faults().rate(Fault.LATE_DEVICE))) {
        world.sim.scheduleControl(chaos / 3 + (long) (random.nextDouble() * chaos / 3), () -> joinLate(a));
      }
    }
  }

  private Optional<Device> upDevice(int account) {
    List<Device> up = world.devicesByAccount.get(account).stream().filter(Device::up).toList();
    return up.isEmpty() ? Optional.empty() : Optional.of(up.get(random.nextInt(up.size())));
  }

  private void action(Device device, String what, String... refs) {
    world.trace.record(world.sim.now(), Trace.Kind.ACTION, device.name(), null, what, what, refs);
  }

  // ---- Sending ------------------------------------------------------------------------------------

  private void send() {
    if (world.healed) {
      return;
    }
    List<Integer> room = rooms.get(random.nextInt(rooms.size()));
    int account = room.get(random.nextInt(room.size()));
    Optional<Device> chosen = upDevice(account);
    if (chosen.isEmpty()) {
      return;
    }
    Device device = chosen.get();
    List<String> shared = new ArrayList<>(world.config.circlesOf(room.get(0)));
    room.forEach(member -> shared.retainAll(world.config.circlesOf(member)));
    if (shared.isEmpty()) {
      return;
    }
    String circle = shared.get(random.nextInt(shared.size()));
    List<String> recipients = new ArrayList<>();
    for (int member : room) {
      if (member != account) {
        recipients.add(world.accounts.get(member).publicKey().hex());
      }
    }
    byte[] tag = new byte[8];
    random.nextBytes(tag);
    String text = "message " + ++counter + " from " + device.name() + " " + Hex.encode(tag);
    OptionalLong expires = OptionalLong.empty();
    if (random.chance(0.15)) {
      expires = OptionalLong.of(device.clock().millis() / 1000 + 5 + random.nextInt(35));
    }
    long createdAt = device.clock().millis() / 1000;
    long at = world.sim.now();
    List<Integer> participants = new ArrayList<>(new TreeSet<>(room));
    XChat chat = device.chat();
    MessageHandle handle;
    // Recipients may show the message while send() still waits: the text identifies it until then.
    world.pendingTexts.put(text, new PendingSend(account, device.name(), participants, at));
    try {
      handle = chat.send(circle, recipients,
          text, expires.isPresent() ? SendOptions.expiringAt(expires.getAsLong()) : SendOptions.NONE);
    } catch (XChatException e) {
      action(device, "send failed: " + e.reason());
      return;
    }
    world.pendingTexts.remove(text);
    world.sends++;
    String id = handle.messageId();
    world.oracle.sent(new Oracle.Sent(id, circle, "", account, device.name(), participants, createdAt,
        expires, at, true));
    action(device, "sends " + id.substring(0, 12) + " in " + circle + " to " + room
        + (expires.isPresent() ? " expiring at " + expires.getAsLong() : ""), id);
    if (!world.healed && random.chance(world.config.faults().rate(Fault.CRASH_AFTER_SEND))) {
      world.crash(device);
      long down = 1_000 + random.nextInt(14_000);
      world.sim.scheduleControl(world.sim.now() + down, () -> world.restart(device));
    }
    if (expires.isEmpty() && random.chance(0.08)) {
      long soon = 50 + random.nextInt(2_000);
      world.sim.scheduleControl(world.sim.now() + soon, () -> delete(account, id));
    }
  }

  // ---- Deleting -----------------------------------------------------------------------------------

  private void deleteSomething() {
    if (world.healed) {
      return;
    }
    List<Oracle.Sent> candidates = world.oracle.sent().values().stream()
        .filter(m -> !world.oracle.isDeleted(m.id()) && m.expiresAt().isEmpty())
        .toList();
    if (candidates.isEmpty()) {
      return;
    }
    Oracle.Sent target = candidates.get(random.nextInt(candidates.size()));
    delete(target.senderAccount(), target.id());
  }

  private void delete(int account, String id) {
    if (world.healed || world.oracle.isDeleted(id)) {
      return;
    }
    Oracle.Sent target = world.oracle.sent().get(id);
    if (target == null) {
      return;
    }
    List<Device> mine = new ArrayList<>(world.devicesByAccount.get(account));
    // The sending device first: it surely holds the message.
    mine.sort((a, b) -> Boolean.compare(!a.name().equals(target.senderDevice()), !b.name().equals(target.senderDevice())));
    for (Device device : mine) {
      if (!device.up()) {
        continue;
      }
      try {
        device.chat().delete(target.circle(), id);
        world.deletes++;
        world.oracle.deleted(new Oracle.Deleted(id, device.name(), world.sim.now()));
        world.checker.onDeletedHere(device.name(), id);
        action(device, "deletes " + id.substring(0, 12), id);
        return;
      } catch (XChatException e) {
        if (e.reason() != XChatException.Reason.UNKNOWN_MESSAGE) {
          action(device, "delete failed: " + e.reason(), id);
          return;
        }
      }
    }
  }

  // ---- Reading --------------------------------------------------------------------------------------

  private void markRead() {
    if (world.healed) {
      return;
    }
    Optional<Device> chosen = upDevice(random.nextInt(world.accounts.size()));
    if (chosen.isEmpty()) {
      return;
    }
    Device device = chosen.get();
    List<String> mine = world.config.circlesOf(device.account());
    String circle = mine.get(random.nextInt(mine.size()));
    try {
      List<Conversation> conversations = device.chat().conversations(circle);
      if (conversations.isEmpty()) {
        return;
      }
      Conversation conversation = conversations.get(random.nextInt(conversations.size()));
      MessagePage page = device.chat().messages(circle, conversation.id(), Optional.empty(), 500);
      if (page.messages().isEmpty() || page.next().isPresent()) {
        return;
      }
      String last = page.messages().get(page.messages().size() - 1).id();
      device.chat().markRead(circle, conversation.id(), last);
      action(device, "reads up to " + last.substring(0, 12) + " in " + circle, last);
    } catch (XChatException e) {
      action(device, "read failed: " + e.reason());
    }
  }

  // ---- Circles ------------------------------------------------------------------------------------

  /** Two devices of one account edit the same circle at the same instant. */
  private void editCircle(int account) {
    if (world.healed) {
      return;
    }
    List<Device> up = world.devicesByAccount.get(account).stream().filter(Device::up).toList();
    if (up.size() < 2) {
      return;
    }
    List<String> mine = world.config.circlesOf(account);
    String circle = mine.get(random.nextInt(mine.size()));
    List<RelayHost> spares = world.circleSpares.get(circle);
    Device first = up.get(0);
    Device second = up.get(1);
    try {
      if (!spares.isEmpty()) {
        first.chat().setRelays(circle, withRelay(first.chat(), circle, spares.get(0).url()));
        action(first, "adds relay " + spares.get(0).name() + " to " + circle);
      } else {
        first.chat().setFileServers(circle, List.of("https://files-" + first.name() + ".sim"));
        action(first, "sets the file servers of " + circle);
      }
      second.chat().setFileServers(circle, List.of("https://files-" + second.name() + ".sim"));
      action(second, "sets the file servers of " + circle);
    } catch (XChatException e) {
      action(first, "circle edit failed: " + e.reason());
    }
  }

  private static List<String> withRelay(XChat chat, String circle, String relay) {
    Set<String> relays = new LinkedHashSet<>(chat.circle(circle).map(CircleInfo::relays).orElse(List.of()));
    relays.add(relay);
    return List.copyOf(relays);
  }

  // ---- Late devices ------------------------------------------------------------------------------

  private void joinLate(int account) {
    if (world.healed) {
      return;
    }
    Device device = world.addDevice(account);
    world.open(device, true);
    action(device, "joins late");
    world.chaos.scheduleDevice(device, world.sim.now());
  }
}
