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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
            int byDeadline = Long.compare(a.deadline(), b.deadline());
            return byDeadline != 0 ? byDeadline : Ticket.QUEUE_ORDER.compare(a, b);
        }
    }

    private final GroupSpec spec;
    private final long epoch;
    private long commit;
    private long now = Long.MIN_VALUE;
    private long window = Long.MIN_VALUE;
    private long nextArrival = 1;

    private final TreeSet<Ticket> waiting = new TreeSet<>(Ticket.QUEUE_ORDER);
    private final TreeSet<Ticket> byDeadline = new TreeSet<>(new DeadlineOrder());
    private final Map<String, Ticket> ticketsById = new HashMap<>();
    private final Map<String, Lease> leases = new HashMap<>();
    private final Map<String, Lease> leasesByTicket = new HashMap<>();
    private final Map<String, Usage> usage = new HashMap<>();
    private final Map<String, Long> nodesLastSeen = new HashMap<>();
    /** Per node: the ids of its waiting tickets and of its leases here, for reconcile digests and node drops. */
    private final Map<String, Holdings> heldByNode = new HashMap<>();

    private final Map<String, Memo> remembered = new HashMap<>();
    private final Map<String, End> recentEnds = new HashMap<>();
    private final ArrayDeque<Forget> forgetQueue = new ArrayDeque<>();
    /** The last outcomes that remembered an operation id, oldest first. */
    private final ArrayDeque<Outcome> recentOutcomes = new ArrayDeque<>();

    /** What one node has in this group. */
    private static final class Holdings {
        final Set<String> tickets = new HashSet<>();
        final Set<String> leases = new HashSet<>();
    }

    /** Mutable usage of one deployment; only this class touches it. */
    private static final class Usage {
        long rpmUsed;
        long tpmUsed;
        int inFlight;
        int failures;
        long cooldownUntil;
    }

    private record Forget(String key, boolean isEnd, long at) {
    }

    /** An operation's first result, kept until {@code forgetAt}. */
    private record Memo(Result result, long forgetAt) {
    }

    private record End(EndReason reason, long forgetAt) {
    }

    /**
     * @param epoch identifies this incarnation of the state (a random number chosen by whoever creates it);
     *              nodes that see it change know the store lost what they had registered
     */
    public GroupState(GroupSpec spec, long epoch) {
        this.spec = spec;
        this.epoch = epoch;
        for (Deployment d : spec.deployments()) usage.put(d.id(), new Usage());
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
        return waiting.isEmpty() ? null : waiting.first();
    }

    Ticket last() {
        return waiting.isEmpty() ? null : waiting.last();
    }

    Ticket earliestDeadline() {
        return byDeadline.isEmpty() ? null : byDeadline.first();
    }

    public Ticket waitingTicket(String ticketId) {
        return ticketsById.get(ticketId);
    }

    public Lease lease(String leaseId) {
        return leases.get(leaseId);
    }

    public Lease leaseOfTicket(String ticketId) {
        return leasesByTicket.get(ticketId);
    }

    public Collection<Lease> leases() {
        return Collections.unmodifiableCollection(leases.values());
    }

    public DeploymentLoad load(String deploymentId) {
        Usage u = usage.get(deploymentId);
        return new DeploymentLoad(deploymentId, u.rpmUsed, u.tpmUsed, u.inFlight, u.failures, u.cooldownUntil);
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
        Holdings held = heldByNode.get(nodeId);
        return held == null ? 0 : held.tickets.size();
    }

    /** How many leases a node holds in this group. */
    public int leaseCountOf(String nodeId) {
        Holdings held = heldByNode.get(nodeId);
        return held == null ? 0 : held.leases.size();
    }

    private void hold(String nodeId, boolean lease, String id) {
        Holdings held = heldByNode.computeIfAbsent(nodeId, n -> new Holdings());
        (lease ? held.leases : held.tickets).add(id);
    }

    private void letGo(String nodeId, boolean lease, String id) {
        Holdings held = heldByNode.get(nodeId);
        if (held == null) return;
        (lease ? held.leases : held.tickets).remove(id);
        if (held.tickets.isEmpty() && held.leases.isEmpty()) heldByNode.remove(nodeId);
    }

    public Map<String, Long> nodesLastSeen() {
        return Collections.unmodifiableMap(nodesLastSeen);
    }

    public Result rememberedResult(String opId) {
        Memo memo = remembered.get(opId);
        return memo == null ? null : memo.result();
    }

    /** Why a ticket ended, if it ended within the last lease bound. */
    public EndReason recentEnd(String ticketId) {
        End end = recentEnds.get(ticketId);
        return end == null ? null : end.reason();
    }

    int rememberedCount() {
        return remembered.size() + recentEnds.size();
    }

    /** Whether {@code d} can take {@code ticket} now: not cooling down, and rpm, tpm and a slot free. */
    boolean fits(Deployment d, Ticket ticket) {
        Usage u = usage.get(d.id());
        return u.cooldownUntil <= now
                && u.inFlight < d.maxParallelRequests()
                && u.rpmUsed < d.rpm()
                && (d.tpm() == Deployment.UNLIMITED || d.tpm() - u.tpmUsed >= ticket.tokens());
    }

    boolean coolingDown(Deployment d) {
        return usage.get(d.id()).cooldownUntil > now;
    }

    int inFlight(String deploymentId) {
        return usage.get(deploymentId).inFlight;
    }

    long rpmLeft(Deployment d) {
        return d.rpm() - usage.get(d.id()).rpmUsed;
    }

    int failures(String deploymentId) {
        return usage.get(deploymentId).failures;
    }

    long earliestCooldownEnd() {
        long at = Long.MAX_VALUE;
        for (Usage u : usage.values()) {
            if (u.cooldownUntil > now) at = Math.min(at, u.cooldownUntil);
        }
        return at;
    }

    /** Waiting tickets of one node, in queue order: found through the node's index, not by a scan. */
    List<Ticket> ticketsOf(String nodeId) {
        Holdings held = heldByNode.get(nodeId);
        List<Ticket> found = new ArrayList<>();
        if (held != null) for (String id : held.tickets) found.add(ticketsById.get(id));
        found.sort(Ticket.QUEUE_ORDER);
        return found;
    }

    /** Leases of one node, by id. */
    List<Lease> leasesOf(String nodeId) {
        Holdings held = heldByNode.get(nodeId);
        List<Lease> found = new ArrayList<>();
        if (held != null) for (String id : held.leases) found.add(leases.get(id));
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
            out.writeBoolean(l.equals(leasesByTicket.get(l.ticketId())));
        }
        for (Deployment d : spec.deployments()) WireFormat.writeDeploymentLoad(out, load(d.id()));
        WireFormat.writeCount(out, nodesLastSeen.size());
        for (Map.Entry<String, Long> node : nodesLastSeen.entrySet()) {
            WireFormat.writeString(out, node.getKey());
            WireFormat.writeVarLong(out, node.getValue());
        }
        writeMemory(out);
    }

    /** What makes duplicates harmless: remembered results, recent ends, when to forget them, recent outcomes. */
    private void writeMemory(DataOutput out) throws IOException {
        WireFormat.writeCount(out, remembered.size());
        for (Map.Entry<String, Memo> op : remembered.entrySet()) {
            WireFormat.writeString(out, op.getKey());
            WireFormat.writeResult(out, op.getValue().result());
            WireFormat.writeVarLong(out, op.getValue().forgetAt());
        }
        WireFormat.writeCount(out, recentEnds.size());
        for (Map.Entry<String, End> end : recentEnds.entrySet()) {
            WireFormat.writeString(out, end.getKey());
            WireFormat.writeEndReason(out, end.getValue().reason());
            WireFormat.writeVarLong(out, end.getValue().forgetAt());
        }
        WireFormat.writeCount(out, forgetQueue.size());
        for (Forget f : forgetQueue) {
            WireFormat.writeString(out, f.key());
            out.writeBoolean(f.isEnd());
            WireFormat.writeVarLong(out, f.at());
        }
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
            state.readMemory(in);
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
            ticketsById.put(t.id(), t);
            hold(t.nodeId(), false, t.id());
        }
        int leaseCount = WireFormat.readCount(in, "leases");
        for (int i = 0; i < leaseCount; i++) {
            Lease l = WireFormat.readLease(in);
            leases.put(l.id(), l);
            if (in.readBoolean()) leasesByTicket.put(l.ticketId(), l);
            hold(l.nodeId(), true, l.id());
        }
        for (Deployment d : spec.deployments()) {
            DeploymentLoad load = WireFormat.readDeploymentLoad(in);
            if (!load.deploymentId().equals(d.id())) {
                throw new StreamCorruptedException("expected the usage of deployment " + d.id() + ", found "
                        + load.deploymentId());
            }
            Usage u = usage.get(d.id());
            u.rpmUsed = load.rpmUsed();
            u.tpmUsed = load.tpmUsed();
            u.inFlight = load.inFlight();
            u.failures = load.failures();
            u.cooldownUntil = load.cooldownUntil();
        }
        int nodes = WireFormat.readCount(in, "nodes last seen");
        for (int i = 0; i < nodes; i++) nodesLastSeen.put(WireFormat.readString(in, "a node id"), WireFormat.readVarLong(in));
    }

    private void readMemory(DataInput in) throws IOException {
        int ops = WireFormat.readCount(in, "remembered results");
        for (int i = 0; i < ops; i++) {
            remembered.put(WireFormat.readString(in, "an operation id"),
                    new Memo(WireFormat.readResult(in), WireFormat.readVarLong(in)));
        }
        int ends = WireFormat.readCount(in, "recent ends");
        for (int i = 0; i < ends; i++) {
            recentEnds.put(WireFormat.readString(in, "an ended ticket id"),
                    new End(WireFormat.readEndReason(in), WireFormat.readVarLong(in)));
        }
        int forgets = WireFormat.readCount(in, "the forget queue");
        for (int i = 0; i < forgets; i++) {
            forgetQueue.add(new Forget(WireFormat.readString(in, "a key to forget"), in.readBoolean(), WireFormat.readVarLong(in)));
        }
        recentOutcomes.addAll(WireFormat.readList(in, WireFormat::readOutcome, "recent outcomes"));
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
            fail(f.deploymentId(), f.cooldownUntil());
        } else if (change instanceof Change.NodeSeen n) {
            nodesLastSeen.merge(n.nodeId(), n.at(), Math::max);
        } else if (change instanceof Change.NodeDropped d) {
            nodesLastSeen.remove(d.nodeId());
        } else if (change instanceof Change.Remembered r) {
            remembered.put(r.opId(), new Memo(r.result(), r.forgetAt()));
            forgetQueue.add(new Forget(r.opId(), false, r.forgetAt()));
        }
    }

    /** A backup's whole job: apply what the primary decided, and take its commit number. */
    public void replay(Outcome outcome) {
        if (outcome.duplicate()) return;
        for (Change change : outcome.changes()) apply(change);
        commit = outcome.commit();
        keepRecent(outcome);
    }

    /** Keeps a new command's outcome among the recent ones, if it remembered an operation id. */
    void keepRecent(Outcome outcome) {
        if (outcome.rememberedOpId() == null) return;
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
            for (Usage u : usage.values()) {
                u.rpmUsed = 0;
                u.tpmUsed = 0;
                u.failures = 0;
            }
        }
        while (!forgetQueue.isEmpty() && forgetQueue.peekFirst().at() <= now) {
            Forget f = forgetQueue.pollFirst();
            if (!f.isEnd()) {
                Memo memo = remembered.get(f.key());
                if (memo == null || memo.forgetAt() != f.at()) continue;
                // An enqueue's id (its ticket's) is kept while the ticket waits or holds a lease, then a lease bound.
                if (ticketsById.containsKey(f.key()) || leasesByTicket.containsKey(f.key())) {
                    keepMemo(f.key(), memo);
                } else {
                    remembered.remove(f.key());
                }
            } else {
                End end = recentEnds.get(f.key());
                if (end != null && end.forgetAt() == f.at()) recentEnds.remove(f.key());
            }
        }
    }

    private void queue(Ticket ticket) {
        Ticket previous = ticketsById.put(ticket.id(), ticket);
        if (previous != null) {
            waiting.remove(previous);
            byDeadline.remove(previous);
            letGo(previous.nodeId(), false, previous.id());
        }
        waiting.add(ticket);
        byDeadline.add(ticket);
        hold(ticket.nodeId(), false, ticket.id());
        recentEnds.remove(ticket.id());
        if (ticket.arrival() >= nextArrival) nextArrival = ticket.arrival() + 1;
    }

    private void endTicket(String ticketId, EndReason reason) {
        Ticket ticket = ticketsById.remove(ticketId);
        if (ticket != null) {
            waiting.remove(ticket);
            byDeadline.remove(ticket);
            letGo(ticket.nodeId(), false, ticket.id());
        }
        long forgetAt = now + spec.leaseBoundMillis();
        recentEnds.put(ticketId, new End(reason, forgetAt));
        forgetQueue.add(new Forget(ticketId, true, forgetAt));
        Memo enqueued = remembered.get(ticketId);
        if (enqueued != null) keepMemo(ticketId, enqueued);
    }

    /** Keeps an operation's first result for another lease bound from now. */
    private void keepMemo(String opId, Memo memo) {
        long forgetAt = now + spec.leaseBoundMillis();
        remembered.put(opId, new Memo(memo.result(), forgetAt));
        forgetQueue.add(new Forget(opId, false, forgetAt));
    }

    private void grant(Lease lease) {
        Ticket ticket = ticketsById.remove(lease.ticketId());
        if (ticket != null) {
            waiting.remove(ticket);
            byDeadline.remove(ticket);
            letGo(ticket.nodeId(), false, ticket.id());
        }
        Lease replaced = leases.put(lease.id(), lease);
        if (replaced != null) letGo(replaced.nodeId(), true, replaced.id());
        hold(lease.nodeId(), true, lease.id());
        leasesByTicket.put(lease.ticketId(), lease);
        Usage u = usage.get(lease.deploymentId());
        u.inFlight++;
        if (lease.window() == window) {
            u.rpmUsed++;
            u.tpmUsed = saturatedAdd(u.tpmUsed, lease.tokensReserved());
        }
    }

    private void endLease(String leaseId, long tokensUsed, boolean refund) {
        Lease lease = leases.remove(leaseId);
        if (lease == null) return;
        leasesByTicket.remove(lease.ticketId(), lease);
        Memo enqueued = remembered.get(lease.ticketId());
        if (enqueued != null && !leasesByTicket.containsKey(lease.ticketId())) keepMemo(lease.ticketId(), enqueued);
        letGo(lease.nodeId(), true, lease.id());
        Usage u = usage.get(lease.deploymentId());
        u.inFlight--;
        if (lease.window() == window) {
            if (refund) {
                u.rpmUsed = Math.max(0, u.rpmUsed - 1);
                u.tpmUsed = Math.max(0, u.tpmUsed - lease.tokensReserved());
            } else {
                u.tpmUsed = Math.max(0, saturatedAdd(u.tpmUsed - Math.min(u.tpmUsed, lease.tokensReserved()), tokensUsed));
            }
        }
    }

    /** Token counts come from clients and upstreams: they saturate rather than wrap. */
    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private void fail(String deploymentId, long cooldownUntil) {
        Usage u = usage.get(deploymentId);
        u.failures++;
        if (cooldownUntil > u.cooldownUntil) u.cooldownUntil = cooldownUntil;
    }
}
