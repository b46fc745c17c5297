package dev.triage.core;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * One model group's scheduling state, as a backend stores it: waiting tickets in queue order, leases,
 * per-deployment usage in the current rpm window, node heartbeats and remembered operation ids.
 *
 * <p>It changes only through {@link #apply(Change)}, so the primary (which decides, in {@link GroupRules})
 * and a backup (which replays the recorded changes) cannot drift apart. Not thread-safe: a backend applies
 * one command at a time per group (an entry processor, a lock, a script).
 */
public final class GroupState {

    public static final long WINDOW_MILLIS = 60_000;
    /** How many recent outcomes a duplicate can still be answered with in full (more than callers in flight). */
    public static final int RECENT_OUTCOMES = 64;

    private static final class DeadlineOrder implements Comparator<Ticket> {
        @Override
        public int compare(Ticket a, Ticket b) {
            if (a == b) return 0;
            int byDeadline = Long.compare(a.deadline(), b.deadline());
            return byDeadline != 0 ? byDeadline : Ticket.QUEUE_ORDER.compare(a, b);
        }
    }

    private static final Comparator<Ticket> DEADLINE_ORDER = new DeadlineOrder();

    private GroupSpec spec;
    private final long epoch;
    private long commit;
    private long now = Long.MIN_VALUE;
    private long window = Long.MIN_VALUE;
    private long nextArrival = 1;

    private final TreeSet<Ticket> waiting = new TreeSet<>(Ticket.QUEUE_ORDER);
    private final TreeSet<Ticket> byDeadline = new TreeSet<>(DEADLINE_ORDER);
    /**
     * Per live ticket id, its waiting {@link Ticket} or the {@link Lease} it was granted: one map, as the rules never
     * queue a ticket that holds a lease, so that a grant replaces the entry and a duplicate check is one lookup.
     */
    private final Map<String, Record> liveTickets = new HashMap<>();
    private final Map<String, Lease> leases = new HashMap<>();
    private DeploymentUsage usage;
    private final Nodes nodes = new Nodes();

    private final OperationMemo memo = new OperationMemo();
    /** An enqueue's id is remembered while its ticket waits or holds a lease: {@link #memo} keeps this as a flag. */
    /**
     * Live ticket ids with a ':' in them. The ids the rules make for releases and cancels have one and ticket ids
     * (UUIDs) do not, so while this is 0 such an id is known not to be a live ticket without a lookup, which in a
     * deep queue is a cache miss every release.
     */
    private int liveIdsWithColon;
    private final Predicate<String> ticketLive = id ->
            (liveIdsWithColon > 0 || id.indexOf(':') < 0) && liveTickets.containsKey(id);
    /** The last outcomes that remembered an operation id, oldest first. */
    private final ArrayDeque<Outcome> recentOutcomes = new ArrayDeque<>();
    /** The first of {@code waiting} and of {@code byDeadline}, or null when not known (a TreeSet walks to it). */
    private Ticket headCache;
    private Ticket earliestCache;

    /**
     * @param epoch identifies this incarnation of the state (a random number chosen by whoever creates it);
     *              nodes that see it change know the store lost what they had registered
     */
    public GroupState(GroupSpec spec, long epoch) {
        this.spec = spec;
        this.epoch = epoch;
        this.usage = new DeploymentUsage(spec);
    }

    // ---- reads ----

    public GroupSpec spec() {
        return spec;
    }

    public long epoch() {
        return epoch;
    }

    public long commit() {
        return commit;
    }

    /** The latest store time applied; never moves backwards. */
    public long now() {
        return now;
    }

    public long window() {
        return window;
    }

    public long nextArrival() {
        return nextArrival;
    }

    public int waitingCount() {
        return waiting.size();
    }

    /** Waiting tickets in queue order (a copy). */
    public List<Ticket> waitingTickets() {
        return new ArrayList<>(waiting);
    }

    public Ticket head() {
        if (headCache == null && !waiting.isEmpty()) headCache = waiting.first();
        return headCache;
    }

    Ticket last() {
        return waiting.isEmpty() ? null : waiting.last();
    }

    Ticket earliestDeadline() {
        if (earliestCache == null && !byDeadline.isEmpty()) earliestCache = byDeadline.first();
        return earliestCache;
    }

    public Ticket waitingTicket(String ticketId) {
        return liveTickets.get(ticketId) instanceof Ticket t ? t : null;
    }

    public Lease lease(String leaseId) {
        return leases.get(leaseId);
    }

    public Lease leaseOfTicket(String ticketId) {
        return liveTickets.get(ticketId) instanceof Lease l ? l : null;
    }

    public Collection<Lease> leases() {
        return Collections.unmodifiableCollection(leases.values());
    }

    public DeploymentLoad load(String deploymentId) {
        return usage.load(deploymentId);
    }

    public GroupSnapshot snapshot() {
        List<DeploymentLoad> loads = new ArrayList<>();
        for (Deployment d : spec.deployments()) loads.add(load(d.id()));
        List<Lease> held = new ArrayList<>(leases.values());
        held.sort(Comparator.comparing(Lease::id));
        return new GroupSnapshot(spec.name(), epoch, commit, now, window, waitingTickets(), held, loads);
    }

    /** How many waiting tickets a node has in this group. */
    public int waitingOf(String nodeId) {
        return nodes.heldCount(nodeId, false);
    }

    /** How many leases a node holds in this group. */
    public int leaseCountOf(String nodeId) {
        return nodes.heldCount(nodeId, true);
    }

    /** When each node was last seen (a copy). */
    public Map<String, Long> nodesLastSeen() {
        return nodes.lastSeen();
    }

    boolean knowsNode(String nodeId) {
        return nodes.knows(nodeId);
    }

    /** Whether the node is known and was last seen at {@code at} or later. */
    boolean seenSince(String nodeId, long at) {
        return nodes.seenSince(nodeId, at);
    }

    /** When the first node falls silent for a lease bound, or {@link Long#MAX_VALUE} if none is known. */
    long nextSilenceAt() {
        return nodes.nextSilenceAt(spec.leaseBoundMillis());
    }

    /** The nodes silent for a lease bound at {@code now}, sorted by id. */
    List<String> silentNodes(long now) {
        return nodes.silent(now, spec.leaseBoundMillis());
    }

    public Result rememberedResult(String opId) {
        return memo.result(opId);
    }

    /** Why a ticket ended, if it ended within the last lease bound. */
    public EndReason recentEnd(String ticketId) {
        return memo.end(ticketId);
    }

    int rememberedCount() {
        return memo.size();
    }

    /**
     * Whether the deployment at {@code index} in the spec can take {@code ticket} now: not cooling down, and rpm,
     * tpm and a slot free.
     */
    boolean fits(int index, Ticket ticket) {
        return usage.fits(index, ticket, now);
    }

    boolean coolingDown(Deployment d) {
        return usage.coolingDown(d, now);
    }

    int inFlight(String deploymentId) {
        return usage.inFlight(deploymentId);
    }

    long rpmLeft(Deployment d) {
        return usage.rpmLeft(d);
    }

    int failures(String deploymentId) {
        return usage.failures(deploymentId);
    }

    long earliestCooldownEnd() {
        return usage.earliestCooldownEnd(now);
    }

    /**
     * Waiting tickets of one node, in queue order. A scan of the queue, but only for a node that has some: node
     * drops are rare, and an index per node would cost every queue and grant.
     */
    List<Ticket> ticketsOf(String nodeId) {
        List<Ticket> found = new ArrayList<>();
        if (nodes.heldCount(nodeId, false) == 0) return found;
        for (Ticket t : waiting) {
            if (t.nodeId().equals(nodeId)) found.add(t);
        }
        return found;
    }

    /** Leases of one node, by id. */
    List<Lease> leasesOf(String nodeId) {
        List<Lease> found = new ArrayList<>();
        if (nodes.heldCount(nodeId, true) == 0) return found;
        for (Lease l : leases.values()) {
            if (l.nodeId().equals(nodeId)) found.add(l);
        }
        found.sort(Comparator.comparing(Lease::id));
        return found;
    }

    // ---- wire form ----

    /**
     * Writes the primary data in {@link WireFormat}, its version first; {@link #readFrom} rebuilds the indexes.
     * This is what a store migrates and syncs to replicas, so it must hold everything later commands depend on.
     */
    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(WireFormat.VERSION);
        WireFormat.writeGroupSpec(out, spec);
        WireFormat.writeVarLong(out, epoch);
        WireFormat.writeVarLong(out, commit);
        WireFormat.writeVarLong(out, now);
        WireFormat.writeVarLong(out, window);
        WireFormat.writeVarLong(out, nextArrival);
        WireFormat.writeList(out, waiting, WireFormat::writeTicket);
        WireFormat.writeCount(out, leases.size());
        for (Lease l : leases.values()) {
            WireFormat.writeLease(out, l);
            // Which lease a ticket maps to is not always derivable (a re-registered lease may share a ticket).
            out.writeBoolean(l.equals(liveTickets.get(l.ticketId())));
        }
        for (Deployment d : spec.deployments()) WireFormat.writeDeploymentLoad(out, load(d.id()));
        nodes.writeLastSeen(out);
        // What makes duplicates harmless: remembered results, recent ends, when to forget them, recent outcomes.
        memo.writeTo(out);
        WireFormat.writeList(out, recentOutcomes, WireFormat::writeOutcome);
    }

    /**
     * Reads what {@link #writeTo} wrote. Refuses another format version, and names a stream that ends early as
     * truncated.
     */
    public static GroupState readFrom(DataInput in) throws IOException {
        try {
            int version = in.readInt();
            if (version != WireFormat.VERSION) {
                throw new StreamCorruptedException("group state in wire format version " + version
                        + ", this build reads version " + WireFormat.VERSION + " only");
            }
            GroupState state = new GroupState(WireFormat.readGroupSpec(in), WireFormat.readVarLong(in));
            state.commit = WireFormat.readVarLong(in);
            state.now = WireFormat.readVarLong(in);
            state.window = WireFormat.readVarLong(in);
            state.nextArrival = WireFormat.readVarLong(in);
            state.readQueueAndUsage(in);
            state.memo.readFrom(in, state.ticketLive);
            state.recentOutcomes.addAll(WireFormat.readList(in, WireFormat::readOutcome, "recent outcomes"));
            return state;
        } catch (EOFException truncated) {
            throw (EOFException) new EOFException("group state truncated: the stream ended before the state did")
                    .initCause(truncated);
        }
    }

    private void readQueueAndUsage(DataInput in) throws IOException {
        int tickets = WireFormat.readCount(in, "waiting tickets");
        for (int i = 0; i < tickets; i++) {
            Ticket t = WireFormat.readTicket(in);
            waiting.add(t);
            byDeadline.add(t);
            putLive(t.id(), t);
            nodes.hold(t.nodeId(), false);
        }
        int leaseCount = WireFormat.readCount(in, "leases");
        for (int i = 0; i < leaseCount; i++) {
            Lease l = WireFormat.readLease(in);
            leases.put(l.id(), l);
            if (in.readBoolean()) putLive(l.ticketId(), l);
            nodes.hold(l.nodeId(), true);
        }
        for (Deployment d : spec.deployments()) {
            DeploymentLoad load = WireFormat.readDeploymentLoad(in);
            if (!load.deploymentId().equals(d.id())) {
                throw new StreamCorruptedException("expected the usage of deployment " + d.id() + ", found "
                        + load.deploymentId());
            }
            usage.restore(load);
        }
        nodes.readLastSeen(in);
    }

    // ---- the only writes ----

    /** Applies one recorded decision. Deterministic: the same changes on the same state give the same state. */
    public void apply(Change change) {
        if (change instanceof Change.ClockAdvanced c) {
            advanceClock(c.now(), c.window());
        } else if (change instanceof Change.TicketQueued q) {
            queue(q.ticket());
        } else if (change instanceof Change.TicketEnded e) {
            endTicket(e.ticketId(), e.reason());
        } else if (change instanceof Change.LeaseGranted g) {
            grant(g.lease());
        } else if (change instanceof Change.LeaseEnded e) {
            endLease(e.leaseId(), e.tokensUsed(), e.refund());
        } else if (change instanceof Change.DeploymentFailed f) {
            usage.fail(f.deploymentId(), f.cooldownUntil());
        } else if (change instanceof Change.NodeSeen n) {
            nodes.seen(n.nodeId(), n.at());
        } else if (change instanceof Change.NodeDropped d) {
            nodes.drop(d.nodeId());
        } else if (change instanceof Change.Remembered r) {
            memo.remember(r.opId(), r.result(), r.forgetAt(), ticketLive.test(r.opId()));
        } else if (change instanceof Change.SpecAdopted a) {
            spec = a.spec();
            usage = usage.reshapedFor(a.spec(), leases.values());
        }
    }

    /** A backup's whole job: apply what the primary decided, and take its commit number. */
    public void replay(Outcome outcome) {
        if (outcome.duplicate()) return;
        for (Change change : outcome.changes()) apply(change);
        commit = outcome.commit();
        if (outcome.rememberedOpId() != null) keepRecent(outcome);
    }

    /** Keeps a new command's outcome, which remembered an operation id, among the recent ones. */
    void keepRecent(Outcome outcome) {
        recentOutcomes.addLast(outcome);
        if (recentOutcomes.size() > RECENT_OUTCOMES) recentOutcomes.removeFirst();
    }

    /** The first run's outcome of {@code opId} if it is among the recent ones, else null. */
    public Outcome recentOutcome(String opId) {
        for (var it = recentOutcomes.descendingIterator(); it.hasNext(); ) {
            Outcome o = it.next();
            if (opId.equals(o.rememberedOpId())) return o;
        }
        return null;
    }

    void setCommit(long value) {
        commit = value;
    }

    private void advanceClock(long at, long newWindow) {
        if (at > now) now = at;
        if (newWindow > window) {
            window = newWindow;
            usage.newWindow();
        }
        memo.forgetDue(now, spec.leaseBoundMillis());
    }

    private void queue(Ticket ticket) {
        if (putLive(ticket.id(), ticket) instanceof Ticket previous) unqueue(previous);
        waiting.add(ticket);
        byDeadline.add(ticket);
        if (headCache != null && Ticket.QUEUE_ORDER.compare(ticket, headCache) < 0) headCache = ticket;
        if (earliestCache != null && DEADLINE_ORDER.compare(ticket, earliestCache) < 0) earliestCache = ticket;
        nodes.hold(ticket.nodeId(), false);
        memo.ticketLive(ticket.id(), true);
        memo.forgetEnd(ticket.id());
        if (ticket.arrival() >= nextArrival) nextArrival = ticket.arrival() + 1;
    }

    private void endTicket(String ticketId, EndReason reason) {
        Record live = liveTickets.get(ticketId);
        if (live instanceof Ticket ticket) {
            removeLive(ticketId);
            unqueue(ticket);
        }
        long forgetAt = now + spec.leaseBoundMillis();
        memo.ended(ticketId, reason, forgetAt);
        // Its enqueue's id is kept a lease bound after the ticket ends.
        memo.keep(ticketId, forgetAt, live instanceof Lease);
    }

    private Record putLive(String ticketId, Record waitingOrLease) {
        Record previous = liveTickets.put(ticketId, waitingOrLease);
        if (previous == null && ticketId.indexOf(':') >= 0) liveIdsWithColon++;
        return previous;
    }

    private void removeLive(String ticketId) {
        if (liveTickets.remove(ticketId) != null && ticketId.indexOf(':') >= 0) liveIdsWithColon--;
    }

    /** Takes a ticket out of the queue's indexes (not out of {@code liveTickets}). */
    private void unqueue(Ticket ticket) {
        // The head (what a grant takes) comes off by walking to the first entry, not by a search that compares.
        if (ticket == headCache) {
            waiting.pollFirst();
            headCache = null;
        } else {
            waiting.remove(ticket);
        }
        if (ticket == earliestCache) {
            byDeadline.pollFirst();
            earliestCache = null;
        } else {
            byDeadline.remove(ticket);
        }
        nodes.letGo(ticket.nodeId(), false);
    }

    private void grant(Lease lease) {
        // A ticket that waited was live already; a lease taken back by reconcile may make its ticket live.
        if (putLive(lease.ticketId(), lease) instanceof Ticket ticket) unqueue(ticket);
        else memo.ticketLive(lease.ticketId(), true);
        Lease replaced = leases.put(lease.id(), lease);
        if (replaced != null) nodes.letGo(replaced.nodeId(), true);
        nodes.hold(lease.nodeId(), true);
        usage.charge(lease, lease.window() == window);
    }

    private void endLease(String leaseId, long tokensUsed, boolean refund) {
        Lease lease = leases.remove(leaseId);
        if (lease == null) return;
        // A re-registered lease may share its ticket with another: the ticket lives on while the other holds it.
        Record live = liveTickets.get(lease.ticketId());
        boolean ticketsLease = lease.equals(live);
        if (ticketsLease) removeLive(lease.ticketId());
        if (ticketsLease || !(live instanceof Lease)) {
            memo.keep(lease.ticketId(), now + spec.leaseBoundMillis(), live instanceof Ticket);
        }
        nodes.letGo(lease.nodeId(), true);
        usage.release(lease, lease.window() == window, tokensUsed, refund);
    }
}
