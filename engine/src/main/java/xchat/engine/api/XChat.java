package xchat.engine.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.pekko.actor.BootstrapSetup;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.dispatch.ExecutionContexts;
import xchat.engine.circle.CircleActor;
import xchat.engine.circle.CircleRouting;
import xchat.engine.device.DeviceActor;
import xchat.engine.device.DeviceState;
import xchat.engine.ingest.ConversationIndex;
import xchat.engine.media.BlossomClientSettings;
import xchat.engine.media.EngineMedia;
import xchat.engine.media.FileDeletionHandle;
import xchat.engine.media.SendResult;
import xchat.engine.outbox.DeletionHandleImpl;
import xchat.engine.outbox.MessageHandleImpl;
import xchat.engine.relay.RelayHealth;
import xchat.engine.runtime.ApiMapping;
import xchat.engine.runtime.Asks;
import xchat.engine.runtime.EngineContext;
import xchat.engine.runtime.EngineGuardian;
import xchat.engine.runtime.EventBus;
import xchat.engine.runtime.LockedRandom;
import xchat.engine.transport.RelayTransport;
import xchat.engine.transport.RelayUrl;
import xchat.engine.transport.SharedSocketTransport;
import xchat.engine.transport.WebSocketTransport;
import xchat.persistence.CircleId;
import xchat.persistence.EncryptedStore;
import xchat.persistence.StoreCorruptedException;
import xchat.persistence.StoreException;
import xchat.persistence.StoreLockedException;
import xchat.persistence.StoreNotFoundException;
import xchat.persistence.StoreOptions;
import xchat.persistence.SyncMode;
import xchat.persistence.UnknownCircleException;
import xchat.persistence.WrongPassphraseException;
import xchat.persistence.crypto.ScryptParams;
import xchat.persistence.log.ConversationId;
import xchat.persistence.log.MessageCursor;
import xchat.persistence.log.StoredMessage;
import xchat.protocol.event.EventId;
import xchat.protocol.event.Rumor;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.keys.SecretKey;
import xchat.protocol.nip17.ChatRoom;
import xchat.protocol.nip17.ChatRumors;
import xchat.protocol.nip17.FileMetadata;
import xchat.protocol.nip19.Nip19;
import xchat.protocol.nip19.Nip19Exception;
import xchat.protocol.nip19.Npub;
import xchat.protocol.nip19.Nsec;

/**
 * The xchat engine for one account on one device: the API an app embeds. Open it with
 * {@link #open(XChatConfig)}, close it with {@link #close()}. Thread-safe.
 *
 * <p>Ids and keys are lower-case hex strings; recipients may also be given as npub. Reads
 * ({@link #messages}, {@link #conversations}, {@link #fingerprint}) come straight from the
 * encrypted store; changes go through the engine's actors.
 */
public final class XChat implements AutoCloseable {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern CIRCLE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final String IDENTITY_KEY = "xchat/identity";
  private static final String DEVICE_KEY = "xchat/device";
  private static final String STORE_DIR = "db";

  private final EngineContext engine;
  private final ActorSystem<EngineGuardian.Command> system;
  private final ActorRef<DeviceActor.Command> device;
  private final Waiter waiter;
  private final EngineMedia media;
  private volatile boolean closed;

  private XChat(EngineContext engine, ActorSystem<EngineGuardian.Command> system, ActorRef<DeviceActor.Command> device,
      Waiter waiter, EngineMedia media) {
    this.engine = engine;
    this.system = system;
    this.device = device;
    this.waiter = waiter;
    this.media = media;
  }

  // ---- Opening ----------------------------------------------------------------------------------

  /**
   * Opens the account in {@code config.home()}; creates it first when the config asks to and the
   * home holds none.
   *
   * @throws XChatException NO_ACCOUNT, ACCOUNT_EXISTS (a different key was given for an existing
   *     account), WRONG_PASSPHRASE, LOCKED, CORRUPTED, INVALID_ARGUMENT, STORAGE
   */
  public static XChat open(XChatConfig config) {
    Path dir = config.home().resolve(STORE_DIR);
    EncryptedStore store = openStore(config, dir);
    KeyPair keys;
    String deviceId;
    try {
      keys = identity(store, config);
      deviceId = deviceId(store, config);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    ActorSystem<EngineGuardian.Command> system;
    try {
      Config pekko = config.pekkoSettings().map(c -> c.withFallback(pekkoConfig())).orElseGet(XChat::pekkoConfig);
      BootstrapSetup setup = BootstrapSetup.create(pekko);
      if (config.executor().isPresent()) {
        setup = setup.withDefaultExecutionContext(ExecutionContexts.fromExecutor(config.executor().get()));
      }
      system = ActorSystem.create(EngineGuardian.create(), "xchat", setup);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    Executor executor = config.executor().orElse(system.executionContext());
    EngineContext engine = new EngineContext(
        keys,
        deviceId,
        config.deviceLabel(),
        store,
        executor,
        config.clock(),
        LockedRandom.of(config.random()),
        config.curve(),
        config.online() ? Optional.of(transport(config, system)) : Optional.empty(),
        config.relaySettings(),
        config.requiredAcks(),
        new EngineContext.IngestSettings(config.ingestBatch(), config.ingestWindow(), config.verifyParallelism()),
        config.resyncInterval(),
        new EventBus(executor),
        config.bugs());
    EngineMedia media = EngineMedia.start(engine, config.home(), BlossomClientSettings.defaults());
    system.tell(new EngineGuardian.Init(engine));
    XChat chat = new XChat(engine, system, null, config.waiter(), media);
    try {
      ActorRef<DeviceActor.Command> device = chat.ask(EngineGuardian.GetDevice::new);
      return new XChat(engine, system, device, config.waiter(), media);
    } catch (RuntimeException e) {
      chat.closeQuietly();
      throw e;
    }
  }

  private static RelayTransport transport(XChatConfig config, ActorSystem<?> system) {
    RelayTransport transport =
        config.transport().orElseGet(() -> new WebSocketTransport(system, WebSocketTransport.Settings.DEFAULT));
    return config.bugs().contains(InjectedBug.SHARE_SOCKET_ACROSS_CIRCLES) ? new SharedSocketTransport(transport) : transport;
  }

  private static Config pekkoConfig() {
    return ConfigFactory.parseString(String.join("\n",
        "pekko.loglevel = \"WARNING\"",
        "pekko.stdout-loglevel = \"OFF\"",
        "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]",
        "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"",
        "pekko.log-dead-letters = off",
        "pekko.log-dead-letters-during-shutdown = off",
        "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
        "pekko.jvm-shutdown-hooks = off"))
        .withFallback(ConfigFactory.load());
  }

  private static EncryptedStore openStore(XChatConfig config, Path dir) {
    char[] passphrase = config.passphrase();
    try {
      boolean exists = Files.isDirectory(dir) && Files.exists(dir.resolve("CURRENT"));
      if (!exists) {
        if (!config.create()) {
          throw new XChatException(XChatException.Reason.NO_ACCOUNT,
              "no account in " + config.home() + ": initialise it first");
        }
        StoreOptions options = storeOptions();
        if (config.fastKdfForTests()) {
          options = options.withScrypt(ScryptParams.TEST_ONLY);
        }
        return EncryptedStore.create(dir, passphrase, options);
      }
      return EncryptedStore.open(dir, passphrase, storeOptions());
    } catch (WrongPassphraseException e) {
      throw new XChatException(XChatException.Reason.WRONG_PASSPHRASE, "the passphrase does not unlock " + config.home());
    } catch (StoreLockedException e) {
      throw new XChatException(XChatException.Reason.LOCKED, config.home() + " is open in another process");
    } catch (StoreCorruptedException e) {
      throw new XChatException(XChatException.Reason.CORRUPTED, e.getMessage(), e);
    } catch (StoreNotFoundException e) {
      throw new XChatException(XChatException.Reason.NO_ACCOUNT, e.getMessage(), e);
    } catch (StoreException e) {
      throw new XChatException(XChatException.Reason.STORAGE, e.getMessage(), e);
    } finally {
      Arrays.fill(passphrase, '\0');
    }
  }

  /**
   * Group commit: ingest batches reach the OS at once and the disk within 200 ms (their relays
   * still hold every wrap, and the cursor is in the same batch, so a power cut loses nothing);
   * sends and deletes are fsynced before they are reported.
   */
  private static StoreOptions storeOptions() {
    return StoreOptions.defaults().withSyncMode(SyncMode.GROUP_COMMIT).withGroupCommitInterval(Duration.ofMillis(200));
  }

  private static KeyPair identity(EncryptedStore store, XChatConfig config) {
    Optional<byte[]> stored = store.deviceState(IDENTITY_KEY);
    Optional<SecretKey> given = config.nsec().map(text -> parseSecret(text, config));
    if (stored.isPresent()) {
      byte[] raw = stored.get();
      try {
        KeyPair keys = KeyPair.of(SecretKey.of(raw, config.curve()), config.curve());
        if (given.isPresent() && !given.get().publicKey(config.curve()).equals(keys.publicKey())) {
          throw new XChatException(XChatException.Reason.ACCOUNT_EXISTS,
              config.home() + " already holds a different account");
        }
        return keys;
      } finally {
        Arrays.fill(raw, (byte) 0);
        given.ifPresent(SecretKey::destroy);
      }
    }
    SecretKey secret = given.orElseGet(() -> SecretKey.generate(config.random(), config.curve()));
    byte[] raw = secret.bytes();
    try {
      store.batch().putDeviceState(IDENTITY_KEY, raw).commit();
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
    return KeyPair.of(secret, config.curve());
  }

  private static SecretKey parseSecret(String text, XChatConfig config) {
    String trimmed = text.strip();
    byte[] raw = null;
    try {
      raw = trimmed.startsWith("nsec1") ? Nip19.decode(trimmed, Nsec.class).secretKey() : Hex.decode(trimmed, 32);
      return SecretKey.of(raw, config.curve());
    } catch (Nip19Exception | IllegalArgumentException e) {
      throw new XChatException(XChatException.Reason.INVALID_ARGUMENT, "the secret key is not a valid nsec or hex key");
    } finally {
      if (raw != null) {
        Arrays.fill(raw, (byte) 0);
      }
    }
  }

  private static String deviceId(EncryptedStore store, XChatConfig config) {
    Optional<byte[]> stored = store.deviceState(DEVICE_KEY);
    if (stored.isPresent()) {
      return new String(stored.get(), StandardCharsets.US_ASCII);
    }
    byte[] id = new byte[16];
    config.random().nextBytes(id);
    String hex = Hex.encode(id);
    store.batch().putDeviceState(DEVICE_KEY, hex.getBytes(StandardCharsets.US_ASCII)).commit();
    return hex;
  }

  // ---- Identity -----------------------------------------------------------------------------------

  public String publicKeyHex() {
    return engine.keys().publicKey().hex();
  }

  public String npub() {
    return Nip19.encode(new Npub(engine.keys().publicKey().bytes()));
  }

  /** This device's random id within the account. */
  public String deviceId() {
    return engine.deviceId();
  }

  /** Every device of the account this device has heard of, itself included. */
  public List<DeviceInfo> devices() {
    List<DeviceInfo> out = new ArrayList<>();
    deviceState().devices().forEach((id, entry) ->
        out.add(new DeviceInfo(id, entry.label(), entry.lastSeen(), id.equals(engine.deviceId()))));
    return out;
  }

  // ---- Circles ------------------------------------------------------------------------------------

  /** Creates a circle with its relays (ws:// or wss://); it syncs to the account's other devices. */
  public CircleInfo createCircle(String name, List<String> relays) {
    checkName(name);
    List<RelayUrl> urls = relayUrls(relays);
    return circleResult(ask(replyTo -> new EngineGuardian.CreateCircle(name, urls, replyTo)));
  }

  public List<CircleInfo> circles() {
    List<CircleInfo> out = new ArrayList<>();
    deviceState().presentCircles().forEach((name, entry) ->
        out.add(new CircleInfo(name, entry.relayList(), entry.fileServerList())));
    return out;
  }

  public Optional<CircleInfo> circle(String name) {
    return circles().stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** Replaces the circle's relays: its sockets are reopened; pending sends go to the new set. */
  public CircleInfo setRelays(String circle, List<String> relays) {
    List<RelayUrl> urls = relayUrls(relays);
    return circleResult(ask(replyTo ->
        new EngineGuardian.UpdateCircle(circle, Optional.of(urls), Optional.empty(), replyTo)));
  }

  public CircleInfo setFileServers(String circle, List<String> servers) {
    for (String server : servers) {
      if (!server.startsWith("https://") && !server.startsWith("http://")) {
        throw new XChatException(XChatException.Reason.INVALID_ARGUMENT, "a file server is an http(s) URL");
      }
    }
    CircleInfo info = circleResult(ask(replyTo ->
        new EngineGuardian.UpdateCircle(circle, Optional.empty(), Optional.of(List.copyOf(servers)), replyTo)));
    publishServerList(circle, info.fileServers());
    return info;
  }

  /** NIP-B7: our kind-10063 list on the circle's relays, so receivers can find the blobs elsewhere. */
  private void publishServerList(String circle, List<String> servers) {
    List<java.net.URI> uris = EngineMedia.servers(servers);
    if (!uris.isEmpty()) {
      circleRef(circle).tell(new CircleActor.PublishDeviceState(media.serverListEvent(uris)));
    }
  }

  /**
   * Removes the circle on every device of the account and crypto-shreds it here: its key is
   * deleted, so its messages cannot be read even with the passphrase.
   */
  public void removeCircle(String name) {
    circleResult(ask(replyTo -> new EngineGuardian.RemoveCircle(name, replyTo)));
    media.shred(name);
  }

  // ---- Messages -----------------------------------------------------------------------------------

  /** Sends a chat message; see {@link #send(String, Collection, String, SendOptions)}. */
  public MessageHandle send(String circle, Collection<String> recipients, String text) {
    return send(circle, recipients, text, SendOptions.NONE);
  }

  /**
   * Sends {@code text} to the room of {@code recipients} (npub or hex) and this account. When this
   * returns, the message is durable in the outbox (QUEUED) and in the log; it is then wrapped once
   * per recipient and once to self, and published to the circle's relays only.
   *
   * @throws XChatException STORAGE if the message could not be stored (a full disk): nothing was
   *     queued and nothing will be published
   */
  public MessageHandle send(String circle, Collection<String> recipients, String text, SendOptions options) {
    if (text == null || text.isEmpty()) {
      throw new XChatException(XChatException.Reason.INVALID_ARGUMENT, "the message is empty");
    }
    List<PublicKey> keys = publicKeys(recipients);
    long now = engine.nowSeconds();
    ChatRumors.Options rumorOptions = new ChatRumors.Options(
        options.replyTo().map(XChat::eventId), options.subject(),
        options.expiresAt().isPresent() ? OptionalLong.of(options.expiresAt().getAsLong()) : OptionalLong.empty());
    Rumor rumor = ChatRumors.chat(engine.keys().publicKey(), keys, text, now, rumorOptions);
    return sendRumor(circle, rumor, List.of());
  }

  private MessageHandleImpl sendRumor(String circle, Rumor untagged, List<EventId> erase) {
    MessageHandleImpl handle = enqueue(circleRef(circle), circle, untagged, erase);
    await(handle.queued());
    return handle;
  }

  /** Hands the rumor to the circle's outbox without waiting; {@code queued()} says when it is durable. */
  private MessageHandleImpl enqueue(ActorRef<CircleActor.Command> ref, String circle, Rumor untagged,
      List<EventId> erase) {
    Rumor rumor = CircleRouting.tagged(untagged, circle);
    MessageHandleImpl handle = new MessageHandleImpl(rumor.id().hex(), circle, engine.executor());
    ref.tell(new CircleActor.Send(rumor, erase, handle));
    return handle;
  }

  // ---- Files --------------------------------------------------------------------------------------

  /** Sends a file; see {@link #sendFile(String, Collection, Path, String, SendOptions)}. */
  public CompletionStage<FileSendResult> sendFile(String circle, Collection<String> recipients, Path file,
      String mimeType) {
    return sendFile(circle, recipients, file, mimeType, SendOptions.NONE);
  }

  /**
   * Sends a file to the room of {@code recipients} and this account: encrypts it (AES-256-GCM under
   * a fresh key and nonce), uploads the ciphertext to every file server of the circle (BUD-02, with
   * kind-24242 authorization), then sends a NIP-17 kind-15 message naming the first server's URL,
   * the others as fallbacks, the key, the nonce and both hashes, through the outbox like
   * {@link #send}. The file is streamed: its size does not matter to memory. Progress arrives as
   * {@link EngineEvent.MediaProgress}. The stage completes once the message is QUEUED, or with
   * {@link FileSendResult.NotSent} when no server stored the blob.
   *
   * @throws XChatException INVALID_ARGUMENT (no file servers, unreadable file, no MIME type),
   *     UNKNOWN_CIRCLE
   */
  public CompletionStage<FileSendResult> sendFile(String circle, Collection<String> recipients, Path file,
      String mimeType, SendOptions options) {
    List<PublicKey> keys = publicKeys(recipients);
    if (mimeType == null || mimeType.isBlank()) {
      throw new XChatException(XChatException.Reason.INVALID_ARGUMENT, "a file needs a MIME type");
    }
    if (file == null || !Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new XChatException(XChatException.Reason.INVALID_ARGUMENT, "not a readable file: " + file);
    }
    CircleInfo info = circle(circle).orElseThrow(() ->
        new XChatException(XChatException.Reason.UNKNOWN_CIRCLE, "no circle named " + circle));
    List<java.net.URI> servers = EngineMedia.servers(info.fileServers());
    if (servers.isEmpty()) {
      throw new XChatException(XChatException.Reason.INVALID_ARGUMENT,
          "the circle " + circle + " has no file servers: set them first");
    }
    ActorRef<CircleActor.Command> ref = circleRef(circle);
    ChatRumors.Options rumorOptions = new ChatRumors.Options(
        options.replyTo().map(XChat::eventId), options.subject(),
        options.expiresAt().isPresent() ? OptionalLong.of(options.expiresAt().getAsLong()) : OptionalLong.empty());
    return media.upload(circle, file, mimeType.strip(), servers).thenCompose(result -> {
      List<FileSendResult.ServerUpload> uploads = EngineMedia.uploads(result.report());
      if (!(result instanceof SendResult.Sent sent)) {
        return CompletableFuture.completedFuture((FileSendResult) new FileSendResult.NotSent(uploads));
      }
      Rumor rumor = ChatRumors.file(engine.keys().publicKey(), keys, sent.metadata(), engine.nowSeconds(),
          rumorOptions);
      MessageHandleImpl handle = enqueue(ref, circle, rumor, List.of());
      return handle.queued().thenApplyAsync(queued -> (FileSendResult) new FileSendResult.Sent(handle,
          ApiMapping.fileInfo(sent.metadata()), uploads), engine.executor());
    });
  }

  /**
   * Fetches the file of a kind-15 message into {@code target}: from the message's URL, its
   * fallbacks, then the sender's other servers (NIP-B7 kind 10063 on the circle's relays). The
   * blob's hash is checked before decrypting and the file's after; the plaintext is kept only in
   * the circle's encrypted cache (so a second call needs no network) and in {@code target}.
   * Progress arrives as {@link EngineEvent.MediaProgress}. A corrupted or substituted blob ends in
   * {@link FileResult.Failed} with reason TAMPERED.
   *
   * @throws XChatException UNKNOWN_CIRCLE, UNKNOWN_MESSAGE, INVALID_ARGUMENT
   */
  public CompletionStage<FileResult> getFile(String circle, String messageId, Path target) {
    EventId id = eventId(messageId);
    CircleId circleId = circleId(circle);
    if (target == null) {
      throw new XChatException(XChatException.Reason.INVALID_ARGUMENT, "a target path is required");
    }
    StoredMessage message = engine.store().message(circleId, id).orElseThrow(() ->
        new XChatException(XChatException.Reason.UNKNOWN_MESSAGE, "no message " + messageId + " in " + circle));
    Optional<FileMetadata> file = ChatRumors.fileMetadata(message.rumor());
    if (file.isEmpty()) {
      return CompletableFuture.completedFuture(new FileResult.Failed(FileResult.Reason.NOT_A_FILE,
          "message " + messageId + " is not a file message", List.of()));
    }
    CircleInfo info = circle(circle).orElseThrow(() ->
        new XChatException(XChatException.Reason.UNKNOWN_CIRCLE, "no circle named " + circle));
    PublicKey sender = message.rumor().event().pubkey();
    // Our own blobs are on our own servers; others' are found through their NIP-B7 list.
    List<java.net.URI> known = sender.equals(engine.keys().publicKey())
        ? EngineMedia.servers(info.fileServers()) : List.of();
    List<RelayUrl> relays = new ArrayList<>();
    for (String relay : info.relays()) {
      try {
        relays.add(RelayUrl.of(relay));
      } catch (IllegalArgumentException e) {
        // A relay URL the circle could not use either: nothing to look up there.
      }
    }
    return media.fetch(circle, messageId, file.get(), sender, known, relays, target);
  }

  /**
   * Deletes one of this account's messages for everyone: a gift-wrapped kind-5 rumor goes to
   * every member and to self, the message is erased here at once (a tombstone replaces it), and
   * each relay of the circle is asked (NIP-09) to delete the wraps that p-tag this account.
   *
   * @throws XChatException UNKNOWN_MESSAGE, NOT_AUTHOR; STORAGE if the deletion could not be stored
   *     (a full disk): nothing was erased or sent
   */
  public DeletionHandle delete(String circle, String messageId) {
    EventId target = eventId(messageId);
    CircleId circleId = circleId(circle);
    StoredMessage message = engine.store().message(circleId, target).orElseThrow(() ->
        new XChatException(XChatException.Reason.UNKNOWN_MESSAGE, "no message " + messageId + " in " + circle));
    PublicKey me = engine.keys().publicKey();
    if (!message.rumor().event().pubkey().equals(me)) {
      throw new XChatException(XChatException.Reason.NOT_AUTHOR, "only the author can delete a message for everyone");
    }
    Optional<FileMetadata> file = ChatRumors.fileMetadata(message.rumor());
    Set<PublicKey> others = ChatRoom.of(message.rumor()).others(me);
    Rumor deletion = ChatRumors.deletion(me, others.isEmpty() ? Set.of(me) : others, List.of(target),
        Math.max(engine.nowSeconds(), message.createdAt()));
    MessageHandleImpl rumorHandle = sendRumor(circle, deletion, List.of(target));
    DeletionHandleImpl tracker = new DeletionHandleImpl(messageId, rumorHandle,
        () -> devicesThatDeleted(messageId), engine.executor());
    device.tell(new DeviceActor.DeletionsApplied(List.of(messageId)));
    circleRef(circle).tell(new CircleActor.RequestDeletion(message.wrapId().map(List::of).orElse(List.of()),
        Optional.of(tracker)));
    tracker.report().thenAccept(report ->
        engine.events().publish(new EngineEvent.DeletionConfirmed(circle, report)));
    if (file.isPresent()) {
      List<java.net.URI> servers = circle(circle).map(info -> EngineMedia.servers(info.fileServers()))
          .orElse(List.of());
      return new FileDeletionHandle(tracker, media.delete(circle, messageId, file.get(), servers));
    }
    return tracker;
  }

  private Set<String> devicesThatDeleted(String messageId) {
    TreeSet<String> devices = DeviceActor.load(engine).devicesThatDeleted(messageId);
    devices.add(engine.deviceId());
    return devices;
  }

  /** Which devices of this account have applied the deletion of {@code messageId} so far. */
  public Set<String> deletionConfirmedBy(String messageId) {
    eventId(messageId);
    return Set.copyOf(deviceState().devicesThatDeleted(messageId));
  }

  /** Marks {@code messageId} and everything before it in its conversation read, on every device. */
  public void markRead(String circle, String conversation, String messageId) {
    StoredMessage message = engine.store().message(circleId(circle), eventId(messageId)).orElseThrow(() ->
        new XChatException(XChatException.Reason.UNKNOWN_MESSAGE, "no message " + messageId + " in " + circle));
    if (!message.conversation().hex().equals(conversation)) {
      throw new XChatException(XChatException.Reason.INVALID_ARGUMENT, "the message is in another conversation");
    }
    device.tell(new DeviceActor.MarkRead(circle, conversation,
        new DeviceState.ReadEntry(message.createdAt(), messageId)));
  }

  public Optional<ReadMarker> readMarker(String circle, String conversation) {
    DeviceState.ReadEntry entry = deviceState().reads().get(DeviceState.conversationKey(circle, conversation));
    return entry == null ? Optional.empty()
        : Optional.of(new ReadMarker(circle, conversation, entry.createdAt(), entry.rumorId()));
  }

  public void mute(String circle, String conversation, boolean muted) {
    circleId(circle);
    device.tell(new DeviceActor.Mute(circle, conversation, muted));
  }

  public boolean isMuted(String circle, String conversation) {
    DeviceState.MuteEntry entry = deviceState().mutes().get(DeviceState.conversationKey(circle, conversation));
    return entry != null && entry.muted();
  }

  /** The circle's conversations, by id. */
  public List<Conversation> conversations(String circle) {
    circleId(circle);
    List<Conversation> out = new ArrayList<>();
    ConversationIndex.load(engine.store(), circle).forEach((id, members) -> out.add(new Conversation(circle, id, members)));
    return out;
  }

  /**
   * A page of a conversation in its one order (rumor created_at, then id), after {@code cursor}
   * (from the start when empty). Deletion rumors are not listed; erased messages are gone.
   */
  public MessagePage messages(String circle, String conversation, Optional<String> cursor, int limit) {
    CircleId circleId = circleId(circle);
    ConversationId conversationId = conversationId(conversation);
    Optional<MessageCursor> after = cursor.map(XChat::parseCursor);
    try {
      xchat.persistence.log.MessagePage page = engine.store().messages(circleId, conversationId, after, limit);
      List<StoredMessage> shown = new ArrayList<>();
      for (StoredMessage stored : page.messages()) {
        if (stored.rumor().event().kind() != ChatRumors.DELETION) {
          shown.add(stored);
        }
      }
      if (engine.has(InjectedBug.ORDER_BY_WRAP_CREATED_AT)) {
        sortByWrapTime(circleId, shown);
      }
      List<Message> messages = new ArrayList<>();
      for (StoredMessage stored : shown) {
        messages.add(ApiMapping.message(circle, stored));
      }
      Optional<String> next = page.next().map(c -> c.createdAt() + ":" + c.rumorId().hex());
      return new MessagePage(messages, next);
    } catch (UnknownCircleException e) {
      throw new XChatException(XChatException.Reason.UNKNOWN_CIRCLE, "no circle named " + circle);
    }
  }

  /** Injected bug: a page in the order of the randomised wrap timestamps the store recorded. */
  private void sortByWrapTime(CircleId circleId, List<StoredMessage> page) {
    java.util.Map<EventId, Long> wrapTimes = new java.util.HashMap<>();
    engine.store().forEachNegentropyItem(circleId, 0, Long.MAX_VALUE,
        (createdAt, id) -> wrapTimes.put(new EventId(id), createdAt));
    page.sort(Comparator.comparingLong(m -> m.wrapId().map(id -> wrapTimes.getOrDefault(id, m.createdAt()))
        .orElse(m.createdAt())));
  }

  /** Every message of the circle, across its conversations, in (created_at, id) order. */
  public List<Message> messages(String circle) {
    List<Message> all = new ArrayList<>();
    for (Conversation conversation : conversations(circle)) {
      Optional<String> cursor = Optional.empty();
      do {
        MessagePage page = messages(circle, conversation.id(), cursor, 500);
        all.addAll(page.messages());
        cursor = page.next();
      } while (cursor.isPresent());
    }
    all.sort(Comparator.comparingLong(Message::createdAt).thenComparing(Message::id));
    return all;
  }

  /**
   * A hash over the conversation's ordered rumor ids, deletion rumors included (they stand for
   * the tombstones): two devices in sync give the same fingerprint.
   */
  public String fingerprint(String circle, String conversation) {
    CircleId circleId = circleId(circle);
    ConversationId conversationId = conversationId(conversation);
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    Optional<MessageCursor> cursor = Optional.empty();
    do {
      xchat.persistence.log.MessagePage page = engine.store().messages(circleId, conversationId, cursor, 1000);
      for (StoredMessage stored : page.messages()) {
        digest.update(stored.rumorId().bytes());
      }
      cursor = page.next();
    } while (cursor.isPresent());
    return Hex.encode(digest.digest());
  }

  // ---- Sync and health ------------------------------------------------------------------------------

  /**
   * Reconciles every relay of the circle (NIP-77, or REQ paging) and completes once everything
   * found is stored, with per-relay completeness. Progress goes to {@link #events()}.
   */
  public CompletionStage<SyncResult> sync(String circle, Duration timeout) {
    ActorRef<CircleActor.Command> ref = circleRef(circle);
    return Asks.ask(ref, replyTo -> new CircleActor.Sync(timeout, replyTo), timeout.plusSeconds(30),
        system.scheduler(), engine.executor());
  }

  /** {@link #sync} of every circle: what a new device runs to bootstrap. */
  public CompletionStage<List<SyncResult>> syncAll(Duration timeout) {
    List<CompletableFuture<SyncResult>> all = new ArrayList<>();
    for (CircleInfo circle : circles()) {
      all.add(sync(circle.name(), timeout).toCompletableFuture());
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApplyAsync(v -> all.stream().map(CompletableFuture::join).toList(), engine.executor());
  }

  /** Connection state and health per relay of the circle. */
  public Map<String, String> relayStates(String circle) {
    ActorRef<CircleActor.Command> ref = circleRef(circle);
    List<RelayHealth> health = await(AskPattern.ask(ref, CircleActor.GetHealth::new, CALL_TIMEOUT, system.scheduler()));
    Map<String, String> out = new java.util.TreeMap<>();
    health.forEach(h -> out.put(h.relay().value(), h.state().name()));
    return out;
  }

  /** Typed changes: messages added, deleted or changing status, sync progress, relay health. */
  public Flow.Publisher<EngineEvent> events() {
    return engine.events().publisher();
  }

  // ---- Closing ----------------------------------------------------------------------------------

  /**
   * Drains every circle's ingest, stops the actors, closes the store and wipes the key.
   *
   * @throws XChatException STORAGE if the store could not flush its last writes (everything is
   *     released all the same, and what was acknowledged before is kept)
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      await(AskPattern.<EngineGuardian.Command, org.apache.pekko.Done>ask(system, EngineGuardian.Shutdown::new,
          CALL_TIMEOUT, system.scheduler()));
    } finally {
      closeQuietly();
    }
  }

  /**
   * Stops at once, as a crash of the process would: nothing is drained, the store is closed with
   * what was committed, and whatever was queued is lost. For the simulator's crash faults: its
   * executor must never run this engine's tasks again.
   */
  public void abandon() {
    if (closed) {
      return;
    }
    closed = true;
    media.close();
    closeStore();
  }

  private void closeQuietly() {
    closed = true;
    media.close();
    engine.events().close();
    system.terminate();
    try {
      waiter.await(system.getWhenTerminated(), CALL_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // The store must still be closed; the actor system's failure to stop is not the caller's.
    }
    closeStore();
  }

  /**
   * Closes the store and wipes the key whatever happens. A store that cannot flush its last writes
   * (a full disk) is still released, so it can be opened again; the failure is reported.
   */
  private void closeStore() {
    try {
      engine.store().close();
    } catch (StoreException e) {
      throw new XChatException(XChatException.Reason.STORAGE, e.getMessage(), e);
    } finally {
      engine.keys().secretKey().destroy();
    }
  }

  // ---- Helpers ----------------------------------------------------------------------------------

  private DeviceState deviceState() {
    ensureOpen();
    return await(AskPattern.ask(device, DeviceActor.Get::new, CALL_TIMEOUT, system.scheduler()));
  }

  private <T> T ask(org.apache.pekko.japi.function.Function<ActorRef<T>, EngineGuardian.Command> message) {
    ensureOpen();
    return await(AskPattern.ask(system, message, CALL_TIMEOUT, system.scheduler()));
  }

  private <T> T await(CompletionStage<T> stage) {
    try {
      return waiter.await(stage, CALL_TIMEOUT.plusSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new XChatException(XChatException.Reason.TIMEOUT, "interrupted while waiting for the engine");
    } catch (TimeoutException e) {
      throw new XChatException(XChatException.Reason.TIMEOUT, "the engine did not answer in time");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof XChatException x) {
        throw x;
      }
      if (cause instanceof java.util.concurrent.TimeoutException) {
        throw new XChatException(XChatException.Reason.TIMEOUT, "the engine did not answer in time");
      }
      throw new XChatException(XChatException.Reason.STORAGE, "the engine failed: " + cause.getClass().getSimpleName(), cause);
    }
  }

  private CircleInfo circleResult(EngineGuardian.Result result) {
    if (result instanceof EngineGuardian.Accepted accepted) {
      return accepted.circle();
    }
    EngineGuardian.Refused refused = (EngineGuardian.Refused) result;
    throw new XChatException(XChatException.Reason.valueOf(refused.reason()), refused.message());
  }

  private ActorRef<CircleActor.Command> circleRef(String circle) {
    Optional<ActorRef<CircleActor.Command>> ref = ask(replyTo -> new EngineGuardian.GetCircle(circle, replyTo));
    return ref.orElseThrow(() -> new XChatException(XChatException.Reason.UNKNOWN_CIRCLE, "no circle named " + circle));
  }

  private CircleId circleId(String circle) {
    ensureOpen();
    if (circle == null || !CIRCLE_NAME.matcher(circle).matches() || !engine.store().hasCircle(CircleId.of(circle))) {
      throw new XChatException(XChatException.Reason.UNKNOWN_CIRCLE, "no circle named " + circle);
    }
    return CircleId.of(circle);
  }

  private void ensureOpen() {
    if (closed) {
      throw new XChatException(XChatException.Reason.CLOSED, "the engine is closed");
    }
  }

  private static void checkName(String name) {
    if (name == null || !CIRCLE_NAME.matcher(name).matches()) {
      throw new XChatException(XChatException.Reason.INVALID_ARGUMENT,
          "a circle name is 1..64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
  }

  private static List<RelayUrl> relayUrls(List<String> relays) {
    if (relays == null || relays.isEmpty()) {
      throw new XChatException(XChatException.Reason.INVALID_ARGUMENT, "a circle needs at least one relay");
    }
    List<RelayUrl> urls = new ArrayList<>();
    for (String relay : relays) {
      try {
        RelayUrl url = RelayUrl.of(relay.strip());
        if (!urls.contains(url)) {
          urls.add(url);
        }
      } catch (IllegalArgumentException e) {
        throw new XChatException(XChatException.Reason.INVALID_ARGUMENT, "not a ws:// or wss:// relay URL: " + relay);
      }
    }
    return urls;
  }

  private static List<PublicKey> publicKeys(Collection<String> recipients) {
    if (recipients == null || recipients.isEmpty()) {
      throw new XChatException(XChatException.Reason.INVALID_ARGUMENT, "at least one recipient is needed");
    }
    List<PublicKey> keys = new ArrayList<>();
    for (String text : recipients) {
      String trimmed = text.strip();
      try {
        keys.add(trimmed.startsWith("npub1")
            ? new PublicKey(Nip19.decode(trimmed, Npub.class).publicKey())
            : PublicKey.fromHex(trimmed));
      } catch (Nip19Exception | IllegalArgumentException e) {
        throw new XChatException(XChatException.Reason.INVALID_ARGUMENT, "not an npub or hex public key");
      }
    }
    return keys;
  }

  private static EventId eventId(String hex) {
    if (hex == null || !Hex.isLowerHex(hex, EventId.LENGTH)) {
      throw new XChatException(XChatException.Reason.INVALID_ARGUMENT, "a message id is 64 lower-case hex characters");
    }
    return EventId.fromHex(hex);
  }

  private static ConversationId conversationId(String hex) {
    if (hex == null || !Hex.isLowerHex(hex, 32)) {
      throw new XChatException(XChatException.Reason.INVALID_ARGUMENT, "a conversation id is 64 lower-case hex characters");
    }
    return ConversationId.fromHex(hex);
  }

  private static MessageCursor parseCursor(String text) {
    int colon = text.indexOf(':');
    try {
      return new MessageCursor(Long.parseLong(text.substring(0, colon)), eventId(text.substring(colon + 1)));
    } catch (RuntimeException e) {
      throw new XChatException(XChatException.Reason.INVALID_ARGUMENT, "not a cursor from a previous page");
    }
  }

  @Override
  public String toString() {
    return "XChat[" + engine.store().directory().getParent() + "]";
  }
}
