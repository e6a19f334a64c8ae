package xchat.engine.relay;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.hex.Hex;
import xchat.protocol.message.ClientMessage;
import xchat.protocol.nip77.Item;
import xchat.protocol.nip77.Negentropy;
import xchat.protocol.nip77.NegentropyStorage;
import xchat.protocol.nip77.SortedVectorStorage;

/**
 * One sync or repair against one relay: NIP-77 when the relay can, with a fallback (REQ paging
 * for a sync, an id check for a repair) when it cannot or when its claimed NIP-77 fails. Lives on
 * the relay actor's thread; the actor drives it through {@link Host}.
 */
final class ReconcileJob {

  enum Kind { SYNC, REPAIR }

  private enum Phase { NEGENTROPY, FETCH, PAGING, ID_CHECK, DONE }

  /** What the job needs from its relay actor. */
  interface Host {
    boolean negentropyUsable();

    void negentropyFailed(String reason);

    long negentropyFrameLimit();

    int pageSize();

    int idsPerQuery();

    int maxPages();

    /** Sends a REQ now or when a subscription slot frees up. */
    void openQuery(ReconcileJob job, String wireId, Filter filter);

    void closeQuery(String wireId);

    void sendNegentropy(ReconcileJob job, ClientMessage message);

    void deliver(String subscriptionId, NostrEvent event);

    /** Arms the step timeout; a stale step's timeout is ignored. */
    void armTimeout(ReconcileJob job, int step);

    void finished(ReconcileJob job);
  }

  final String id;
  final Kind kind;
  private final Filter filter;
  private final NegentropyStorage local;
  private final List<EventId> authored;
  private final Host host;

  private Phase phase;
  private int step;
  private String wireId;
  private Negentropy negentropy;
  private final List<byte[]> have = new ArrayList<>();
  private final List<byte[]> need = new ArrayList<>();
  private boolean usedNegentropy;
  private boolean fellBack;
  private boolean bestEffort;
  private String detail = "";
  private int eventsReceived;

  // Fetching what NIP-77 said we need, or checking authored ids, batch by batch.
  private final ArrayDeque<List<EventId>> batches = new ArrayDeque<>();
  private List<EventId> currentBatch = List.of();
  private final Set<EventId> outstanding = new HashSet<>();
  private final Set<EventId> present = new HashSet<>();
  private final Set<EventId> lacking = new LinkedHashSet<>();

  // REQ paging: "until" only moves down; ids at the boundary second are remembered so the
  // inclusive until does not count them twice.
  private OptionalLong until;
  private final Set<EventId> boundaryIds = new HashSet<>();
  private int pages;
  private int pageEvents;
  private int pageNew;
  private long pageMin;
  private final Set<EventId> pageMinIds = new HashSet<>();

  private ReconcileJob(String id, Kind kind, Filter filter, NegentropyStorage local,
      List<EventId> authored, Host host) {
    this.id = id;
    this.kind = kind;
    this.filter = filter;
    this.local = local;
    this.authored = authored;
    this.host = host;
    this.until = filter.until();
  }

  static ReconcileJob sync(String id, Filter filter, NegentropyStorage local, Host host) {
    return new ReconcileJob(id, Kind.SYNC, filter, local, List.of(), host);
  }

  static ReconcileJob repair(String id, Filter filter, List<Item> items, Host host) {
    List<EventId> ids = new ArrayList<>(items.size());
    for (Item item : items) {
      ids.add(new EventId(item.id()));
    }
    return new ReconcileJob(id, Kind.REPAIR, filter, SortedVectorStorage.of(items), ids, host);
  }

  boolean isDone() {
    return phase == Phase.DONE;
  }

  /**
   * Starts. After a reconnect a sync starts over: the relay may have taken events while we were
   * away, and a NIP-77 diff or a paging boundary from before would never ask for them. A repair
   * restarts the step that was cut off.
   */
  void start() {
    if (kind == Kind.SYNC && phase != null && phase != Phase.DONE) {
      forgetProgress();
    }
    if (phase == null) {
      if (host.negentropyUsable()) {
        startNegentropy();
      } else {
        startFallback();
      }
      return;
    }
    switch (phase) {
      case NEGENTROPY -> startNegentropy();
      case FETCH, ID_CHECK -> {
        batches.addFirst(currentBatch);
        nextBatch();
      }
      case PAGING -> requestPage();
      case DONE -> { }
    }
  }

  // What a restart fetches again is delivered again; the ingest drops the duplicates.
  private void forgetProgress() {
    phase = null;
    have.clear();
    need.clear();
    batches.clear();
    currentBatch = List.of();
    outstanding.clear();
    lacking.clear();
    until = filter.until();
    boundaryIds.clear();
    pages = 0;
    pageMinIds.clear();
  }

  /** The connection dropped: the current step's wire state is gone. */
  void suspend() {
    step++;
  }

  private void startNegentropy() {
    phase = Phase.NEGENTROPY;
    usedNegentropy = true;
    have.clear();
    need.clear();
    negentropy = new Negentropy(local, host.negentropyFrameLimit());
    wireId = id + "-n" + (++step);
    host.sendNegentropy(this, new ClientMessage.NegOpen(wireId, filter, Hex.encode(negentropy.initiate())));
    host.armTimeout(this, step);
  }

  void onNegentropyMessage(String messageHex) {
    if (phase != Phase.NEGENTROPY) {
      return;
    }
    Optional<byte[]> next;
    try {
      next = negentropy.reconcile(Hex.decode(messageHex), have, need);
    } catch (IllegalArgumentException | IllegalStateException e) {
      // A relay that claims NIP-77 and sends what the reconciler cannot read has failed it.
      host.sendNegentropy(this, new ClientMessage.NegClose(wireId));
      negentropyFailed("unreadable NEG-MSG: " + e.getClass().getSimpleName());
      return;
    }
    if (next.isPresent()) {
      host.sendNegentropy(this, new ClientMessage.NegMsg(wireId, Hex.encode(next.get())));
      host.armTimeout(this, ++step);
      return;
    }
    host.sendNegentropy(this, new ClientMessage.NegClose(wireId));
    step++;
    if (kind == Kind.REPAIR) {
      for (byte[] id : have) {
        lacking.add(new EventId(id));
      }
      finish();
      return;
    }
    List<EventId> needed = new ArrayList<>(need.size());
    for (byte[] id : need) {
      needed.add(new EventId(id));
    }
    phase = Phase.FETCH;
    queueBatches(needed);
    outstanding.addAll(needed);
    nextBatch();
  }

  void onNegentropyError(String reason) {
    if (phase == Phase.NEGENTROPY) {
      negentropyFailed("NEG-ERR " + reason);
    }
  }

  private void negentropyFailed(String reason) {
    host.negentropyFailed(reason);
    fellBack = true;
    startFallback();
  }

  private void startFallback() {
    if (kind == Kind.SYNC) {
      phase = Phase.PAGING;
      requestPage();
    } else {
      phase = Phase.ID_CHECK;
      queueBatches(authored);
      nextBatch();
    }
  }

  private void queueBatches(List<EventId> ids) {
    int size = host.idsPerQuery();
    for (int from = 0; from < ids.size(); from += size) {
      batches.addLast(List.copyOf(ids.subList(from, Math.min(ids.size(), from + size))));
    }
  }

  private void nextBatch() {
    if (batches.isEmpty()) {
      if (phase == Phase.FETCH && !outstanding.isEmpty()) {
        markBestEffort("the relay did not return " + outstanding.size() + " events NIP-77 said it has");
      }
      finish();
      return;
    }
    currentBatch = batches.pollFirst();
    wireId = id + "-i" + (++step);
    host.openQuery(this, wireId, Filter.builder().ids(currentBatch).limit(currentBatch.size()).build());
    host.armTimeout(this, step);
  }

  private void requestPage() {
    pageEvents = 0;
    pageNew = 0;
    pageMin = Long.MAX_VALUE;
    pageMinIds.clear();
    Filter.Builder page = Filter.builder();
    filter.ids().ifPresent(page::ids);
    filter.authors().ifPresent(page::authors);
    filter.kinds().ifPresent(page::kinds);
    filter.tags().forEach(page::tag);
    filter.since().ifPresent(page::since);
    until.ifPresent(page::until);
    page.limit(host.pageSize());
    wireId = id + "-p" + (++step);
    host.openQuery(this, wireId, page.build());
    host.armTimeout(this, step);
  }

  /** An event on one of this job's queries. */
  void onEvent(String subscriptionId, NostrEvent event) {
    if (!subscriptionId.equals(wireId)) {
      return;
    }
    switch (phase) {
      case FETCH -> {
        if (outstanding.remove(event.id())) {
          eventsReceived++;
          host.deliver(id, event);
        }
      }
      case ID_CHECK -> present.add(event.id());
      case PAGING -> onPageEvent(event);
      default -> { }
    }
  }

  private void onPageEvent(NostrEvent event) {
    if (!filter.matches(event) || (until.isPresent() && event.createdAt() > until.getAsLong())) {
      return; // not what we asked for; a hostile relay cannot steer "until" with it
    }
    pageEvents++;
    if (event.createdAt() < pageMin) {
      pageMin = event.createdAt();
      pageMinIds.clear();
    }
    if (event.createdAt() == pageMin) {
      pageMinIds.add(event.id());
    }
    if (boundaryIds.contains(event.id())) {
      return;
    }
    pageNew++;
    eventsReceived++;
    host.deliver(id, event);
  }

  void onEose(String subscriptionId) {
    if (!subscriptionId.equals(wireId)) {
      return;
    }
    host.closeQuery(wireId);
    step++;
    switch (phase) {
      case FETCH, ID_CHECK -> nextBatch();
      case PAGING -> onPageDone();
      default -> { }
    }
  }

  private void onPageDone() {
    pages++;
    boolean full = pageEvents >= host.pageSize();
    if (pageNew == 0 && !full) {
      finish(); // proven empty: nothing at or below the boundary that we have not seen
      return;
    }
    boolean stuck = full && until.isPresent() && pageMin == until.getAsLong();
    if (stuck) {
      // A full page inside one second: whatever else shares that second is out of reach.
      markBestEffort("more than " + host.pageSize() + " events at created_at " + pageMin);
      until = OptionalLong.of(pageMin - 1);
      boundaryIds.clear();
    } else if (until.isPresent() && pageMin == until.getAsLong()) {
      boundaryIds.addAll(pageMinIds);
    } else {
      until = OptionalLong.of(pageMin);
      boundaryIds.clear();
      boundaryIds.addAll(pageMinIds);
    }
    if (until.getAsLong() < 0 || (filter.since().isPresent() && until.getAsLong() < filter.since().getAsLong())) {
      finish();
      return;
    }
    if (pages >= host.maxPages()) {
      markBestEffort("stopped after " + pages + " pages");
      finish();
      return;
    }
    requestPage();
  }

  /** A CLOSED for one of this job's queries that retrying after AUTH cannot fix. */
  void onClosed(String subscriptionId, String message) {
    if (!subscriptionId.equals(wireId)) {
      return;
    }
    step++;
    markBestEffort("relay closed the query: " + message);
    finish();
  }

  void onTimeout(int timedOutStep) {
    if (timedOutStep != step || phase == Phase.DONE) {
      return;
    }
    if (phase == Phase.NEGENTROPY) {
      host.sendNegentropy(this, new ClientMessage.NegClose(wireId));
      negentropyFailed("no NEG-MSG in time");
      return;
    }
    host.closeQuery(wireId);
    step++;
    markBestEffort("the relay did not finish a query in time");
    finish();
  }

  /** The actor is stopping or the relay refused us: end with what we have. */
  void abort(String reason) {
    if (phase != Phase.DONE) {
      step++;
      markBestEffort(reason);
      finish();
    }
  }

  private void markBestEffort(String why) {
    bestEffort = true;
    detail = detail.isEmpty() ? why : detail + "; " + why;
  }

  private void finish() {
    phase = Phase.DONE;
    host.finished(this);
  }

  SyncReport syncReport(xchat.engine.transport.RelayUrl relay) {
    List<EventId> lacks = new ArrayList<>(have.size());
    for (byte[] id : have) {
      lacks.add(new EventId(id));
    }
    boolean nip77 = usedNegentropy && !fellBack;
    return new SyncReport(relay, id,
        bestEffort ? SyncReport.Completeness.BEST_EFFORT : SyncReport.Completeness.COMPLETE,
        nip77 ? SyncReport.Method.NIP77 : SyncReport.Method.REQ_PAGING,
        eventsReceived, nip77 ? lacks : List.of(), fellBack, detail);
  }

  RepairReport repairReport(xchat.engine.transport.RelayUrl relay) {
    boolean nip77 = usedNegentropy && !fellBack;
    List<EventId> missing = new ArrayList<>();
    if (nip77) {
      missing.addAll(lacking);
    } else if (!bestEffort) {
      Set<EventId> seen = new LinkedHashSet<>(authored);
      seen.removeAll(present);
      missing.addAll(seen);
    }
    missing.sort(null);
    return new RepairReport(relay,
        nip77 ? RepairReport.Method.NIP77 : RepairReport.Method.ID_CHECK,
        authored.size(), missing, !bestEffort, detail);
  }
}
