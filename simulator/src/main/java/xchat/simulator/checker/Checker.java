package xchat.simulator.checker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import xchat.engine.api.Message;
import xchat.engine.api.MessageStatus;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.nip17.ChatRumors;
import xchat.protocol.nip59.UnwrapResult;
import xchat.protocol.nip59.Unwrapper;

/**
 * Checks the seven guarantees. Safety (no duplicates, deletion wins, circles never mix) is
 * checked at every engine event, as it happens; everything at quiescence, after the faults have
 * healed, from what each device's engine returns and what each relay holds.
 *
 * <p>What a device can be asked to hold depends on what the relays kept: a message is owed to an
 * account when a relay of that account's circle still holds a wrap of it addressed to the
 * account (relays that lied or lost their data hold nothing), and a deletion counts once the
 * account could have received it. The checker unwraps the relays' gift wraps with the accounts'
 * keys to know this.
 */
public final class Checker {
  private final Oracle oracle;
  private final Secp256k1 curve;
  private final List<KeyPair> accounts;
  private final Map<String, Integer> accountByPubkey = new HashMap<>();
  private final List<Violation> violations = new ArrayList<>();
  private final Map<String, Set<String>> shown = new HashMap<>();
  private final Map<String, Set<String>> deletionSeen = new HashMap<>();
  private final Map<String, MessageStatus> statuses = new HashMap<>();
  private final Map<String, Optional<Unwrapped>> unwrapped = new HashMap<>();
  private long checks;

  /** A wrap opened by the checker: to whom, and what. */
  private record Unwrapped(int account, String rumorId, int kind, String author, List<String> deletes) {}

  public Checker(Oracle oracle, Secp256k1 curve, List<KeyPair> accounts) {
    this.oracle = oracle;
    this.curve = curve;
    this.accounts = List.copyOf(accounts);
    for (int i = 0; i < accounts.size(); i++) {
      accountByPubkey.put(accounts.get(i).publicKey().hex(), i);
    }
  }

  public List<Violation> violations() {
    return List.copyOf(violations);
  }

  public long checks() {
    return checks;
  }

  private void violate(Guarantee guarantee, long at, String detail, List<String> refs, List<String> nodes) {
    violations.add(new Violation(guarantee, at, detail, refs, nodes));
  }

  // ---- Safety, at every step ---------------------------------------------------------------------

  public void onAdded(long at, String device, Message message) {
    checks++;
    String id = message.id();
    Oracle.Sent sent = oracle.sent().get(id);
    if (sent == null) {
      violate(Guarantee.CIRCLES_NEVER_MIX, at, device + " shows message " + id + " in circle " + message.circle()
          + ", which no one sent there", List.of(id), List.of(device));
    } else if (!sent.circle().equals(message.circle())) {
      violate(Guarantee.CIRCLES_NEVER_MIX, at, device + " shows message " + id + " in circle " + message.circle()
          + "; it was sent in " + sent.circle(), List.of(id), List.of(device));
    }
    if (deletionSeen.computeIfAbsent(device, d -> new HashSet<>()).contains(id)) {
      violate(Guarantee.DELETION_WINS, at, device + " shows message " + id + " again after applying its deletion",
          List.of(id), List.of(device));
    }
    if (!shown.computeIfAbsent(device, d -> new HashSet<>()).add(id)) {
      violate(Guarantee.NO_DUPLICATES, at, device + " added message " + id + " a second time", List.of(id),
          List.of(device));
    }
  }

  public void onDeleted(long at, String device, String id) {
    checks++;
    shown.computeIfAbsent(device, d -> new HashSet<>()).remove(id);
    deletionSeen.computeIfAbsent(device, d -> new HashSet<>()).add(id);
  }

  /** The device itself deleted {@code id}: from now on it must never show it. */
  public void onDeletedHere(String device, String id) {
    deletionSeen.computeIfAbsent(device, d -> new HashSet<>()).add(id);
  }

  public void onStatus(String device, MessageStatus status) {
    statuses.put(status.messageId(), status);
  }

  // ---- At quiescence --------------------------------------------------------------------------------

  /**
   * @param relaysNow per relay URL, the gift wraps it holds now
   * @param endSeconds the virtual wall clock at the end
   * @param maxSkewSeconds the largest clock skew of any device
   */
  public void atQuiescence(long at, List<DeviceSnapshot> devices, Map<String, List<NostrEvent>> relaysNow,
      long endSeconds, long maxSkewSeconds) {
    Holdings h = holdings(devices, relaysNow);
    checkNoLoss(at, h.byAccount(), h.held(), h.heldAt(), endSeconds, maxSkewSeconds);
    checkNoDuplicates(at, devices);
    checkOrder(at, devices);
    checkDeletions(at, h.byAccount(), h.held(), h.deletionHeld(), endSeconds, maxSkewSeconds, "");
    checkCircles(at, devices);
    checkConvergence(at, h.byAccount(), h.held(), h.heldAt(), endSeconds, maxSkewSeconds);
  }

  /**
   * No loss and deletion wins without anyone asking: after the faults healed and the world
   * settled, before any explicit sync, every message a relay of the account's circle holds for the
   * account is on each of its devices, and every deletion a relay holds for it has taken the
   * message off them. Live subscriptions, reconnection catch-up and the periodic resync must have
   * done it; the final sync would hide a gap in them.
   */
  public void deliveredWithoutSync(long at, List<DeviceSnapshot> devices, Map<String, List<NostrEvent>> relaysNow,
      long endSeconds, long maxSkewSeconds) {
    Holdings h = holdings(devices, relaysNow);
    checkDeletions(at, h.byAccount(), h.held(), h.deletionHeld(), endSeconds, maxSkewSeconds,
        " before the final sync");
    for (Oracle.Sent m : oracle.sent().values()) {
      checks++;
      if (oracle.isDeleted(m.id()) || m.expiresAt().isPresent()) {
        continue;
      }
      checkReached(at, m, h.byAccount(), h.held(), h.heldAt(), " before the final sync");
    }
  }

  /**
   * What the relays and devices hold at one moment.
   *
   * @param heldAt per "rumor/account", the relays holding a wrap of it for the account
   * @param deletionHeld "rumor/account" pairs whose deletion a relay holds for the account
   * @param held per device, the ids of the messages its engine lists
   */
  private record Holdings(Map<String, Set<String>> heldAt, Set<String> deletionHeld,
      Map<Integer, List<DeviceSnapshot>> byAccount, Map<String, Set<String>> held) {}

  private Holdings holdings(List<DeviceSnapshot> devices, Map<String, List<NostrEvent>> relaysNow) {
    Map<String, Set<String>> heldAt = new HashMap<>();
    Set<String> deletionHeld = new HashSet<>();
    whatRelaysHold(relaysNow, heldAt, deletionHeld);
    return new Holdings(heldAt, deletionHeld, byAccount(devices), messageIds(devices));
  }

  /** Which (rumor, account) pairs a relay holds, and where; which deletions reached whom. */
  private void whatRelaysHold(Map<String, List<NostrEvent>> relaysNow, Map<String, Set<String>> heldAt,
      Set<String> deletionHeld) {
    for (Map.Entry<String, List<NostrEvent>> relay : relaysNow.entrySet()) {
      for (NostrEvent wrap : relay.getValue()) {
        Optional<Unwrapped> opened = open(wrap);
        if (opened.isEmpty()) {
          continue;
        }
        Unwrapped u = opened.get();
        heldAt.computeIfAbsent(u.rumorId() + "/" + u.account(), k -> new TreeSet<>()).add(relay.getKey());
        for (String target : u.deletes()) {
          Oracle.Sent sent = oracle.sent().get(target);
          if (sent != null && accounts.get(sent.senderAccount()).publicKey().hex().equals(u.author())) {
            deletionHeld.add(target + "/" + u.account());
          }
        }
      }
    }
  }

  private static Map<Integer, List<DeviceSnapshot>> byAccount(List<DeviceSnapshot> devices) {
    Map<Integer, List<DeviceSnapshot>> byAccount = new TreeMap<>();
    devices.forEach(d -> byAccount.computeIfAbsent(d.account(), a -> new ArrayList<>()).add(d));
    return byAccount;
  }

  /** Per device, the ids of the messages its engine lists. */
  private static Map<String, Set<String>> messageIds(List<DeviceSnapshot> devices) {
    Map<String, Set<String>> held = new HashMap<>();
    for (DeviceSnapshot d : devices) {
      Set<String> ids = new HashSet<>();
      d.messages().values().forEach(convs -> convs.values().forEach(list -> list.forEach(m -> ids.add(m.id()))));
      held.put(d.device(), ids);
    }
    return held;
  }

  /** Expiring messages near their time may or may not be gone yet: the checker leaves them out. */
  private static boolean uncertain(Oracle.Sent m, long endSeconds, long maxSkew) {
    return m.expiresAt().isPresent() && m.expiresAt().getAsLong() > endSeconds - 90 - maxSkew;
  }

  private static boolean surelyExpired(Oracle.Sent m, long endSeconds, long maxSkew) {
    return m.expiresAt().isPresent() && !uncertain(m, endSeconds, maxSkew);
  }

  private boolean available(Oracle.Sent m, int account, List<DeviceSnapshot> devicesOfAccount,
      Map<String, Set<String>> heldAt) {
    Set<String> where = heldAt.get(m.id() + "/" + account);
    if (where == null || devicesOfAccount.isEmpty()) {
      return false;
    }
    List<String> relays = devicesOfAccount.get(0).relays().getOrDefault(m.circle(), List.of());
    return where.stream().anyMatch(relays::contains);
  }

  private void checkNoLoss(long at, Map<Integer, List<DeviceSnapshot>> byAccount, Map<String, Set<String>> held,
      Map<String, Set<String>> heldAt, long end, long skew) {
    for (Oracle.Sent m : oracle.sent().values()) {
      checks++;
      if (oracle.isDeleted(m.id()) || m.expiresAt().isPresent()) {
        continue;
      }
      if (m.returned() && held.containsKey(m.senderDevice()) && !held.get(m.senderDevice()).contains(m.id())) {
        violate(Guarantee.NO_LOSS, at, "message " + m.id() + " was queued on " + m.senderDevice()
            + " (send returned) but is not in its log", List.of(m.id()), List.of(m.senderDevice()));
      }
      checkReached(at, m, byAccount, held, heldAt, "");
      MessageStatus status = statuses.get(m.id());
      if (status != null && !status.copies().isEmpty()) {
        for (int account : m.participants()) {
          String key = accounts.get(account).publicKey().hex();
          if (!status.copies().containsKey(key)) {
            violate(Guarantee.NO_LOSS, at, "the outbox of message " + m.id() + " has no copy for account " + account
                + (account == m.senderAccount() ? " (the sender's own copy)" : ""), List.of(m.id()),
                List.of(m.senderDevice()));
          }
        }
        if (!status.isTerminal()) {
          violate(Guarantee.NO_LOSS, at, "message " + m.id() + " is still " + status.state()
              + " in the outbox of " + m.senderDevice() + " after healing", List.of(m.id()), List.of(m.senderDevice()));
        }
      }
    }
  }

  /** Every device of an account that a relay of the message's circle holds it for lists it. */
  private void checkReached(long at, Oracle.Sent m, Map<Integer, List<DeviceSnapshot>> byAccount,
      Map<String, Set<String>> held, Map<String, Set<String>> heldAt, String when) {
    for (int account : m.participants()) {
      List<DeviceSnapshot> mine = byAccount.getOrDefault(account, List.of());
      if (!available(m, account, mine, heldAt)) {
        continue;
      }
      for (DeviceSnapshot d : mine) {
        if (!held.get(d.device()).contains(m.id())) {
          violate(Guarantee.NO_LOSS, at, "message " + m.id() + " (circle " + m.circle() + ") is held for account "
              + account + " by relay " + heldAt.get(m.id() + "/" + account) + " but had not reached " + d.device()
              + when, List.of(m.id()), List.of(d.device()));
        }
      }
    }
  }

  private void checkNoDuplicates(long at, List<DeviceSnapshot> devices) {
    for (DeviceSnapshot d : devices) {
      Set<String> ids = new HashSet<>();
      d.messages().forEach((circle, convs) -> convs.values().forEach(list -> list.forEach(m -> {
        checks++;
        if (!ids.add(m.id())) {
          violate(Guarantee.NO_DUPLICATES, at, d.device() + " lists message " + m.id() + " twice",
              List.of(m.id()), List.of(d.device()));
        }
      })));
    }
  }

  private static final Comparator<Message> ORDER =
      Comparator.comparingLong(Message::createdAt).thenComparing(Message::id);

  private void checkOrder(long at, List<DeviceSnapshot> devices) {
    for (DeviceSnapshot d : devices) {
      d.messages().forEach((circle, convs) -> convs.forEach((conv, list) -> {
        for (int i = 1; i < list.size(); i++) {
          checks++;
          if (ORDER.compare(list.get(i - 1), list.get(i)) > 0) {
            Message a = list.get(i - 1);
            Message b = list.get(i);
            violate(Guarantee.ONE_ORDER, at, d.device() + " shows " + a.id() + " (created_at " + a.createdAt()
                + ") before " + b.id() + " (created_at " + b.createdAt() + ") in conversation " + conv,
                List.of(a.id(), b.id()), List.of(d.device()));
            return;
          }
        }
      }));
    }
  }

  private void checkDeletions(long at, Map<Integer, List<DeviceSnapshot>> byAccount, Map<String, Set<String>> held,
      Set<String> deletionHeld, long end, long skew, String when) {
    for (Oracle.Sent m : oracle.sent().values()) {
      Oracle.Deleted deletion = oracle.deleted().get(m.id());
      boolean expired = surelyExpired(m, end, skew);
      if (deletion == null && !expired) {
        continue;
      }
      for (int account : m.participants()) {
        boolean reached = expired || deletionHeld.contains(m.id() + "/" + account);
        for (DeviceSnapshot d : byAccount.getOrDefault(account, List.of())) {
          checks++;
          boolean mustBeGone = reached || (deletion != null && deletion.device().equals(d.device()));
          if (mustBeGone && held.get(d.device()).contains(m.id())) {
            violate(Guarantee.DELETION_WINS, at, d.device() + " still shows message " + m.id() + ", which was "
                + (expired ? "due to expire" : "deleted on " + deletion.device() + " at " + deletion.at() + " ms") + when,
                List.of(m.id()), List.of(d.device()));
          }
        }
      }
    }
  }

  private void checkCircles(long at, List<DeviceSnapshot> devices) {
    for (DeviceSnapshot d : devices) {
      d.messages().forEach((circle, convs) -> convs.values().forEach(list -> list.forEach(m -> {
        checks++;
        Oracle.Sent sent = oracle.sent().get(m.id());
        if (sent == null || !sent.circle().equals(circle)) {
          violate(Guarantee.CIRCLES_NEVER_MIX, at, d.device() + " holds message " + m.id() + " in circle " + circle
              + (sent == null ? ", which no one sent" : "; it was sent in " + sent.circle()), List.of(m.id()),
              List.of(d.device()));
        }
      })));
    }
  }

  private void checkConvergence(long at, Map<Integer, List<DeviceSnapshot>> byAccount, Map<String, Set<String>> held,
      Map<String, Set<String>> heldAt, long end, long skew) {
    for (Map.Entry<Integer, List<DeviceSnapshot>> e : byAccount.entrySet()) {
      List<DeviceSnapshot> mine = e.getValue();
      if (mine.size() < 2) {
        continue;
      }
      DeviceSnapshot first = mine.get(0);
      for (DeviceSnapshot other : mine.subList(1, mine.size())) {
        checks++;
        if (!relaySets(first.relays()).equals(relaySets(other.relays()))) {
          violate(Guarantee.CONVERGENCE, at, "account " + e.getKey() + ": " + first.device() + " has circles "
              + relaySets(first.relays()) + ", " + other.device() + " has " + relaySets(other.relays()), List.of(),
              List.of(first.device(), other.device()));
        }
        if (!relaySets(first.fileServers()).equals(relaySets(other.fileServers()))) {
          violate(Guarantee.CONVERGENCE, at, "account " + e.getKey() + ": file servers differ between "
              + first.device() + " " + first.fileServers() + " and " + other.device() + " " + other.fileServers(),
              List.of(), List.of(first.device(), other.device()));
        }
        Set<String> conversations = new TreeSet<>(first.reads().keySet());
        conversations.retainAll(other.reads().keySet());
        for (String key : conversations) {
          checks++;
          if (!first.reads().get(key).equals(other.reads().get(key))) {
            violate(Guarantee.CONVERGENCE, at, "account " + e.getKey() + ": read marker of " + key + " is "
                + first.reads().get(key).map(r -> r.messageId()).orElse("none") + " on " + first.device() + " but "
                + other.reads().get(key).map(r -> r.messageId()).orElse("none") + " on " + other.device(), List.of(),
                List.of(first.device(), other.device()));
          }
        }
      }
      Set<String> union = new TreeSet<>();
      mine.forEach(d -> union.addAll(held.get(d.device())));
      for (String id : union) {
        Oracle.Sent m = oracle.sent().get(id);
        if (m == null || oracle.isDeleted(id) || m.expiresAt().isPresent()) {
          continue;
        }
        if (!available(m, e.getKey(), mine, heldAt)) {
          continue; // no relay kept a copy for this account: nothing could bring it to the others
        }
        for (DeviceSnapshot d : mine) {
          checks++;
          if (!held.get(d.device()).contains(id)) {
            violate(Guarantee.CONVERGENCE, at, "account " + e.getKey() + ": message " + id + " is on some devices but not "
                + d.device(), List.of(id), List.of(d.device()));
          }
        }
      }
    }
  }

  private static Map<String, Set<String>> relaySets(Map<String, List<String>> lists) {
    Map<String, Set<String>> out = new TreeMap<>();
    lists.forEach((k, v) -> out.put(k, new TreeSet<>(v)));
    return out;
  }

  /**
   * Guarantee 7: no message text, rumor id or account key appears in any file of a device. Run it
   * once the stores are closed, so that no compaction moves data between the listing and the read.
   */
  public void checkAtRest(long at, List<DeviceSnapshot> devices) {
    Map<String, String> secrets = new LinkedHashMap<>();
    for (Oracle.Sent m : oracle.sent().values()) {
      secrets.put(m.id(), "rumor id " + m.id());
      secrets.put(latin1(Hex.decode(m.id())), "raw rumor id " + m.id());
    }
    for (int i = 0; i < accounts.size(); i++) {
      String hex = accounts.get(i).publicKey().hex();
      secrets.put(hex, "public key of account " + i);
      secrets.put(latin1(accounts.get(i).publicKey().bytes()), "raw public key of account " + i);
    }
    for (DeviceSnapshot d : devices) {
      d.messages().values().forEach(convs -> convs.values().forEach(list -> list.forEach(m ->
          secrets.put(m.content(), "text of message " + m.id()))));
    }
    Set<String> reported = new LinkedHashSet<>();
    for (DeviceSnapshot d : devices) {
      try (Stream<Path> files = Files.walk(d.home())) {
        for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
          if (file.getFileName().toString().startsWith("LOG")) {
            continue; // RocksDB's own diagnostics log: no user data
          }
          String content = latin1(Files.readAllBytes(file));
          for (Map.Entry<String, String> secret : secrets.entrySet()) {
            checks++;
            if (content.contains(secret.getKey()) && reported.add(d.device() + secret.getValue())) {
              violate(Guarantee.NOTHING_READABLE_AT_REST, at, secret.getValue() + " is readable in "
                  + d.home().relativize(file) + " on " + d.device(), List.of(), List.of(d.device()));
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot scan " + d.home(), e);
      }
    }
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** The wraps seen carrying {@code rumorId} (those the checker opened), for failure traces. */
  public Set<String> wrapsOf(String rumorId) {
    Set<String> out = new TreeSet<>();
    unwrapped.forEach((wrap, opened) -> opened.filter(u -> u.rumorId().equals(rumorId)).ifPresent(u -> out.add(wrap)));
    return out;
  }

  /** Opens a wrap a relay stored at some point, so failure traces can follow it. */
  public void learn(NostrEvent wrap) {
    open(wrap);
  }

  private Optional<Unwrapped> open(NostrEvent wrap) {
    return unwrapped.computeIfAbsent(wrap.id().hex(), id -> {
      for (String p : wrap.tags().values("p")) {
        Integer account = accountByPubkey.get(p);
        if (account == null) {
          continue;
        }
        UnwrapResult result = new Unwrapper(accounts.get(account), curve).unwrap(wrap);
        if (result instanceof UnwrapResult.Unwrapped u) {
          List<String> deletes = u.rumor().event().kind() == ChatRumors.DELETION
              ? ChatRumors.deletedIds(u.rumor()).stream().map(EventId::hex).toList()
              : List.of();
          return Optional.of(new Unwrapped(account, u.rumor().id().hex(), u.rumor().event().kind(),
              u.rumor().event().pubkey().hex(), deletes));
        }
      }
      return Optional.empty();
    });
  }
}
