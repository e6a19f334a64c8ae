package xchat.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import xchat.engine.api.CircleInfo;
import xchat.engine.api.Conversation;
import xchat.engine.api.DeletionHandle;
import xchat.engine.api.DeletionReport;
import xchat.engine.api.Message;
import xchat.engine.api.MessageHandle;
import xchat.engine.api.SendOutcome;
import xchat.engine.api.XChat;
import xchat.engine.api.XChatConfig;
import xchat.engine.api.XChatException;
import xchat.engine.relay.RelaySettings;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.nip19.Nip19;
import xchat.protocol.nip19.Nsec;
import xchat.relay.server.RelayConfig;
import xchat.relay.server.RelayServer;

/**
 * The embedded-default tour behind {@code ./xchat demo}: two relays in this process on loopback,
 * Alice on a laptop and a phone (one account, two homes), Bob on a laptop, two circles. They
 * talk, Alice deletes a message for everyone, a relay dies and comes back, and at the end every
 * device's per-conversation fingerprint is compared. Nothing leaves 127.0.0.1.
 */
public final class Demo {
  /** Fixed: the demo's homes are temporary and deleted at the end. */
  public static final String PASSPHRASE = "xchat demo passphrase";

  public static final String FRIENDS = "friends";
  public static final String WORK = "work";

  public static final String HELLO = "Hi Bob! Dinner on Friday?";
  public static final String REPLY = "Yes! I'll bring dessert.";
  public static final String REVIEW = "Could you review my pull request today?";
  public static final String ON_IT = "On it after lunch.";
  public static final String OOPS = "Oops, wrong chat: my bank PIN is 4921";
  public static final String FROM_PHONE = "Written on my phone: see you at 7!";
  public static final String FAILOVER = "Relay A is down, but I still get through.";
  public static final String QUEUED = "Review done, two small comments.";

  /** Every text the demo sends. */
  public static final List<String> TEXTS = List.of(HELLO, REPLY, REVIEW, ON_IT, OOPS, FROM_PHONE, FAILOVER, QUEUED);

  private static final Duration WAIT = Duration.ofSeconds(25);
  private static final Secp256k1 CURVE = Secp256k1.defaultBackend();

  /** The two accounts' secret keys (nsec). */
  public record Accounts(String aliceNsec, String bobNsec) {
    public static Accounts random() {
      SecureRandom random = new SecureRandom();
      return new Accounts(nsec(KeyPair.generate(random, CURVE)), nsec(KeyPair.generate(random, CURVE)));
    }

    public static String nsec(KeyPair keys) {
      byte[] secret = keys.secretKey().bytes();
      try {
        return Nip19.encode(new Nsec(secret));
      } finally {
        Arrays.fill(secret, (byte) 0);
      }
    }

    @Override
    public String toString() {
      return "Accounts[secret]";
    }
  }

  private record Device(String name, String owner, XChat chat) {}

  private final PrintWriter out;
  private final Accounts accounts;
  private final Changes changes = new Changes();
  private final DemoClock clock = new DemoClock();
  private final Map<String, String> people = new HashMap<>();
  private final Map<String, String> relayNames = new HashMap<>();
  private final List<Device> devices = new ArrayList<>();
  private final List<RelayServer> relays = new ArrayList<>();
  private Path root;

  public Demo(PrintWriter out, Accounts accounts) {
    this.out = out;
    this.accounts = accounts;
  }

  /**
   * Runs the tour.
   *
   * @return 0 when every device agrees on every conversation at the end, 1 otherwise
   * @throws DemoFailure when a step does not happen in time
   */
  public int run() throws IOException, InterruptedException {
    long started = System.nanoTime();
    root = Files.createTempDirectory("xchat-demo-");
    Throwable failure = null;
    try {
      int code = tour();
      say("");
      say(String.format("(the demo took %.1f s)", (System.nanoTime() - started) / 1e9));
      return code;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      out.flush();
      cleanUp(failure);
    }
  }

  private int tour() throws IOException, InterruptedException {
    say("xchat demo: end-to-end encrypted chat on Nostr, all in this process.");
    say("Two relays, two people, three devices, two circles. Nothing leaves 127.0.0.1.");
    say("(demo uses a fast passphrase KDF; real accounts use scrypt)");

    heading(1, "Two relays start on loopback");
    RelayServer relayA = startRelay("A", RelayConfig.defaults().withPort(0).withDataDir(root.resolve("relay-a")));
    RelayServer relayB = startRelay("B", RelayConfig.defaults().withPort(0).withDataDir(root.resolve("relay-b")));
    say("relay A  " + relayA.url() + "   (data in " + root.relativize(root.resolve("relay-a")) + "/)");
    say("relay B  " + relayB.url());

    heading(2, "Alice opens her account on a laptop and a phone, Bob on his laptop");
    Device laptop = open("alice-laptop", "alice", accounts.aliceNsec());
    Device phone = open("alice-phone", "alice", accounts.aliceNsec());
    Device bob = open("bob-laptop", "bob", accounts.bobNsec());
    people.put(laptop.chat().publicKeyHex(), "alice");
    people.put(bob.chat().publicKeyHex(), "bob");
    say("alice  " + shortKey(laptop.chat().npub()) + "   same key on both of her devices: one account");
    say("bob    " + shortKey(bob.chat().npub()));
    say("Each device keeps its own encrypted store, here in a temporary directory.");

    heading(3, "Circles: 'friends' on relays A and B, 'work' on relay A only");
    laptop.chat().createCircle(FRIENDS, List.of(relayA.url(), relayB.url()));
    laptop.chat().createCircle(WORK, List.of(relayA.url()));
    bob.chat().createCircle(FRIENDS, List.of(relayA.url(), relayB.url()));
    bob.chat().createCircle(WORK, List.of(relayA.url()));
    say("alice-laptop and bob-laptop create both circles.");
    say("alice-phone names only 'friends' on relay A; the rest comes from the laptop,");
    say("as encrypted device state (NIP-78) that only Alice's devices can read.");
    phone.chat().createCircle(FRIENDS, List.of(relayA.url()));
    changes.await("alice-phone to learn the circles from alice-laptop", WAIT, () ->
        phone.chat().circle(WORK).isPresent()
            && phone.chat().circle(FRIENDS).map(c -> c.relays().size() == 2).orElse(false));
    for (Device device : devices) {
      say(pad(device.name(), 13) + device.chat().circles().stream()
          .sorted(Comparator.comparing(CircleInfo::name))
          .map(c -> c.name() + " " + c.relays().stream().map(this::relayName).sorted().toList())
          .collect(Collectors.joining(", ")));
    }

    heading(4, "Alice and Bob talk, in both circles");
    String bobKey = bob.chat().npub();
    String aliceKey = laptop.chat().npub();
    sent(send(laptop, FRIENDS, bobKey, HELLO));
    sent(send(bob, FRIENDS, aliceKey, REPLY));
    sent(send(bob, WORK, aliceKey, REVIEW));
    sent(send(laptop, WORK, bobKey, ON_IT));
    String oops = sent(send(laptop, FRIENDS, bobKey, OOPS));
    say("Each message is sealed and gift-wrapped (NIP-17/44/59) once for Bob and once for Alice herself,");
    say("and sent only to its circle's relays. Every device receives it:");
    awaitEverywhere(FRIENDS, HELLO, REPLY, OOPS);
    awaitEverywhere(WORK, REVIEW, ON_IT);
    showAll(FRIENDS);
    showAll(WORK);

    heading(5, "Alice's phone holds what her laptop sent");
    say("alice-phone sent nothing, yet it shows '" + HELLO + "':");
    say("the copy wrapped to Alice herself reached it. Now the phone writes:");
    sent(send(phone, FRIENDS, bobKey, FROM_PHONE));
    say("alice-phone -> friends: '" + FROM_PHONE + "'");
    awaitEverywhere(FRIENDS, FROM_PHONE);
    say("alice-laptop and bob-laptop both have it.");
    show(laptop, FRIENDS);

    heading(6, "Alice deletes a message for everyone");
    say("alice-laptop deletes '" + OOPS + "'.");
    DeletionHandle deletion = laptop.chat().delete(FRIENDS, oops);
    DeletionReport report = get(deletion.report(), "the relays to answer the deletion request");
    say("A kind-5 deletion travels gift-wrapped like a message; each relay is asked (NIP-09)");
    say("to delete the wraps addressed to us: " + report.relays().entrySet().stream()
        .map(e -> "relay " + relayName(e.getKey()) + " " + e.getValue()).sorted().collect(Collectors.joining(", ")));
    changes.await("every device to erase the deleted message", WAIT, () ->
        devices.stream().noneMatch(d -> has(d, FRIENDS, OOPS)));
    for (Device device : devices) {
      say(pad(device.name(), 13) + "'" + OOPS + "' is gone (" + count(device, FRIENDS) + " messages left in friends)");
    }

    heading(7, "Relay A dies");
    int portA = relayA.port();
    get(relayA.stop(), "relay A to stop");
    relays.remove(relayA);
    say("relay A is stopped. 'friends' still has relay B; 'work' has no relay left.");
    String failover = sent(send(bob, FRIENDS, aliceKey, FAILOVER));
    awaitEverywhere(FRIENDS, FAILOVER);
    say("bob-laptop -> friends: '" + FAILOVER + "'");
    say("  accepted by relay B and delivered to both of Alice's devices (id " + failover.substring(0, 12) + "...)");
    say("alice-phone's connections in friends: " + phone.chat().relayStates(FRIENDS).entrySet().stream()
        .map(e -> "relay " + relayName(e.getKey()) + " " + e.getValue()).sorted().collect(Collectors.joining(", ")));
    MessageHandle queued = send(laptop, WORK, bobKey, QUEUED);
    say("alice-laptop -> work: '" + QUEUED + "'");
    say("  status " + queued.status().state() + ": it waits in the durable outbox and is retried");

    heading(8, "Relay A comes back, on the same port with the same data");
    RelayServer restarted = startRelay("A", RelayConfig.defaults().withPort(portA).withDataDir(root.resolve("relay-a")));
    say("relay A  " + restarted.url() + "   " + restarted.store().count() + " events still on its disk");
    String late = sent(queued);
    awaitEverywhere(WORK, QUEUED);
    say("The devices reconnect by themselves; the outbox delivers '" + QUEUED + "'");
    say("  (id " + late.substring(0, 12) + "..., the same id it had while queued).");
    showAll(WORK);

    heading(9, "Do all devices agree?");
    say("Each device reconciles with its relays (NIP-77), then hashes every conversation:");
    say("the ordered message ids, deletions included. Equal fingerprints mean equal histories.");
    for (Device device : devices) {
      get(device.chat().syncAll(Duration.ofSeconds(15)), device.name() + " to reconcile");
    }
    return agreement();
  }

  // ---- Steps' helpers ------------------------------------------------------------------------------

  private RelayServer startRelay(String name, RelayConfig config) {
    RelayServer relay = RelayServer.start(config);
    relays.add(relay);
    relayNames.put(relay.url(), name);
    return relay;
  }

  private Device open(String name, String owner, String nsec) {
    RelaySettings quickReconnects = XChatConfig.engineDefaults()
        .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(2))
        .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(10));
    XChatConfig config = XChatConfig.builder(root.resolve(name), PASSPHRASE.toCharArray())
        .createWith(nsec)
        .fastKdfForTests()
        .deviceLabel(name)
        .clock(clock)
        .relaySettings(quickReconnects)
        .build();
    XChat chat = XChat.open(config);
    config.wipe();
    Device device = new Device(name, owner, chat);
    devices.add(device);
    chat.events().subscribe(changes);
    return device;
  }

  private MessageHandle send(Device from, String circle, String to, String text) {
    clock.nextMessage();
    return from.chat().send(circle, List.of(to), text);
  }

  /** Waits until every copy is accepted by a relay; returns the message id. */
  private String sent(MessageHandle handle) throws InterruptedException {
    SendOutcome outcome = get(handle.outcome(), "a message to be accepted by the relays");
    if (outcome instanceof SendOutcome.Failed failed) {
      throw new DemoFailure("sending failed: " + failed.reason());
    }
    return handle.messageId();
  }

  private void awaitEverywhere(String circle, String... texts) throws InterruptedException {
    changes.await("every device to show " + Arrays.toString(texts) + " in " + circle, WAIT, () ->
        devices.stream().allMatch(d -> Stream.of(texts).allMatch(t -> has(d, circle, t))));
  }

  private int agreement() throws InterruptedException {
    Map<String, Map<String, String>> fingerprints = new LinkedHashMap<>();
    try {
      changes.await("every device to hold the same conversations", WAIT, () -> {
        fingerprints.clear();
        fingerprints.putAll(fingerprints());
        return agrees(fingerprints);
      });
    } catch (DemoFailure e) {
      // Print what differs below; the exit code says it.
    }
    say(pad("circle", 9) + pad("conversation", 14)
        + devices.stream().map(d -> pad(d.name(), 14)).collect(Collectors.joining()));
    int conversations = 0;
    boolean all = true;
    for (Map.Entry<String, Map<String, String>> entry : fingerprints.entrySet()) {
      String[] key = entry.getKey().split(" ");
      StringBuilder line = new StringBuilder(pad(key[0], 9) + pad(key[1].substring(0, 8) + "...", 14));
      for (Device device : devices) {
        String fingerprint = entry.getValue().get(device.name());
        line.append(pad(fingerprint == null ? "(missing)" : fingerprint.substring(0, 12), 14));
      }
      boolean same = new TreeSet<>(entry.getValue().values()).size() == 1
          && entry.getValue().size() == devices.size();
      all &= same;
      conversations++;
      say(line + (same ? "agree" : "DIFFER"));
    }
    say("");
    if (all && conversations > 0) {
      say("OK: all " + devices.size() + " devices agree on all " + conversations + " conversations.");
      return 0;
    }
    say("FAILED: the devices do not agree (see DIFFER above).");
    return 1;
  }

  /** circle + " " + conversation id -> device name -> fingerprint. */
  private Map<String, Map<String, String>> fingerprints() {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (String circle : List.of(FRIENDS, WORK)) {
      for (Device device : devices) {
        for (Conversation conversation : device.chat().conversations(circle)) {
          out.computeIfAbsent(circle + " " + conversation.id(), k -> new LinkedHashMap<>())
              .put(device.name(), device.chat().fingerprint(circle, conversation.id()));
        }
      }
    }
    return out;
  }

  private boolean agrees(Map<String, Map<String, String>> fingerprints) {
    return !fingerprints.isEmpty() && fingerprints.values().stream().allMatch(perDevice ->
        perDevice.size() == devices.size() && Set.copyOf(perDevice.values()).size() == 1);
  }

  private void showAll(String circle) {
    for (Device device : devices) {
      show(device, circle);
    }
  }

  private void show(Device device, String circle) {
    List<Message> messages = device.chat().messages(circle);
    say(device.name() + " sees in " + circle + " (" + messages.size() + " messages):");
    for (Message message : messages) {
      say("    " + pad(people.getOrDefault(message.author(), "someone") + ":", 7) + message.content());
    }
  }

  private static boolean has(Device device, String circle, String text) {
    try {
      return device.chat().messages(circle).stream().anyMatch(m -> m.content().equals(text));
    } catch (XChatException e) {
      if (e.reason() == XChatException.Reason.UNKNOWN_CIRCLE) {
        return false;
      }
      throw e;
    }
  }

  private static int count(Device device, String circle) {
    return device.chat().messages(circle).size();
  }

  private String relayName(String url) {
    return relayNames.getOrDefault(url, url);
  }

  private static <T> T get(java.util.concurrent.CompletionStage<T> stage, String what) throws InterruptedException {
    try {
      return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new DemoFailure("waited " + WAIT.toSeconds() + " s for " + what);
    } catch (ExecutionException e) {
      throw new DemoFailure(what + " failed: " + e.getCause());
    }
  }

  private static String shortKey(String npub) {
    return npub.substring(0, 14) + "..." + npub.substring(npub.length() - 6);
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
  }

  private void heading(int number, String title) {
    say("");
    say("== " + number + ". " + title + " ==");
  }

  private void say(String line) {
    out.println(line.isEmpty() ? "" : "  " + line.stripTrailing());
    out.flush();
  }

  // ---- Cleaning up ---------------------------------------------------------------------------------

  private void cleanUp(Throwable failure) throws IOException {
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    // Devices close in parallel on threads of their own, never on the common pool.
    java.util.concurrent.ExecutorService closer = java.util.concurrent.Executors.newCachedThreadPool();
    for (Device device : devices) {
      closing.add(CompletableFuture.runAsync(device.chat()::close, closer));
    }
    closer.shutdown();
    for (CompletableFuture<Void> close : closing) {
      try {
        close.get(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException | TimeoutException e) {
        addOrThrow(failure, new IllegalStateException("a device did not close", e));
      }
    }
    for (RelayServer relay : relays) {
      try {
        relay.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        addOrThrow(failure, new IllegalStateException("a relay did not stop", e));
      }
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static void addOrThrow(Throwable failure, RuntimeException problem) {
    if (failure == null) {
      throw problem;
    }
    failure.addSuppressed(problem);
  }
}
