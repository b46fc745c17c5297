package dev.triage.core.rules;

import dev.triage.core.Deployment;
import dev.triage.core.DeploymentLoad;
import dev.triage.core.EndReason;
import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.Ticket;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import dev.triage.core.wire.WireFormat;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One model group's scheduling state, as a backend stores it: waiting tickets in queue order, leases,
 * per-deployment usage in the current rpm window, node heartbeats and remembered operation ids.
 *
 * <p>Split by job: {@link TicketQueue} (the queue and leases), {@link DeploymentUsage} (per-deployment counters),
 * {@link OperationMemo} (operation ids and recent ends), {@link Nodes} (heartbeats and holdings), and
 * {@link GroupStateCodec} (its wire form).
 *
 * <p>It changes only through {@link #apply(Change)}, so the primary (which decides, in {@link GroupRules})
 * and a backup (which replays the recorded changes) cannot drift apart. Not thread-safe: a backend applies
 * one command at a time per group (an entry processor, a lock, a script).
 */
public final class GroupState {

    public static final long WINDOW_MILLIS = 60_000;
    /** How many recent outcomes a duplicate can still be answered with in full (more than callers in flight). */
    public static final int RECENT_OUTCOMES = 64;

    private GroupSpec spec;
    private final long epoch;
    private long commit;
    private long now = Long.MIN_VALUE;
    private long window = Long.MIN_VALUE;
    private long nextArrival = 1;

    final Nodes nodes = new Nodes();
    final TicketQueue tickets = new TicketQueue(nodes);
    private DeploymentUsage usage;
    /** An enqueue's id is remembered while its ticket waits or holds a lease: the memo keeps this as a flag. */
    final OperationMemo memo = new OperationMemo();
    /** The last outcomes that remembered an operation id, oldest first. */
    private final ArrayDeque<Outcome> recentOutcomes = new ArrayDeque<>();

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

    long epoch() {
        return epoch;
    }

    long commit() {
        return commit;
    }

    /** The latest store time applied; never moves backwards. */
    long now() {
        return now;
    }

    long window() {
        return window;
    }

    long nextArrival() {
        return nextArrival;
    }

    public int waitingCount() {
        return tickets.waitingCount();
    }

    /** Waiting tickets in queue order (a copy). */
    List<Ticket> waitingTickets() {
        return tickets.waitingTickets();
    }

    Ticket head() {
        return tickets.head();
    }

    Ticket last() {
        return tickets.last();
    }

    Ticket earliestDeadline() {
        return tickets.earliestDeadline();
    }

    Ticket waitingTicket(String ticketId) {
        return tickets.live(ticketId) instanceof Ticket t ? t : null;
    }

    Lease lease(String leaseId) {
        return tickets.lease(leaseId);
    }

    Lease leaseOfTicket(String ticketId) {
        return tickets.live(ticketId) instanceof Lease l ? l : null;
    }

    public Collection<Lease> leases() {
        return tickets.leases();
    }

    DeploymentLoad load(String deploymentId) {
        return usage.load(deploymentId);
    }

    public GroupSnapshot snapshot() {
        List<DeploymentLoad> loads = new ArrayList<>();
        for (Deployment d : spec.deployments()) loads.add(load(d.id()));
        List<Lease> held = new ArrayList<>(tickets.leases());
        held.sort(Comparator.comparing(Lease::id));
        return new GroupSnapshot(spec.name(), epoch, commit, now, window, waitingTickets(), held, loads);
    }

    /** How many waiting tickets a node has in this group. */
    int waitingOf(String nodeId) {
        return nodes.heldCount(nodeId, false);
    }

    /** How many leases a node holds in this group. */
    int leaseCountOf(String nodeId) {
        return nodes.heldCount(nodeId, true);
    }

    /** When each node was last seen (a copy). */
    Map<String, Long> nodesLastSeen() {
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

    Result rememberedResult(String opId) {
        return memo.result(opId);
    }

    /** Why a ticket ended, if it ended within the last lease bound. */
    EndReason recentEnd(String ticketId) {
        return memo.end(ticketId);
    }

    int rememberedCount() {
        return memo.size();
    }

    DeploymentUsage usage() {
        return usage;
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

    List<Ticket> ticketsOf(String nodeId) {
        return tickets.ticketsOf(nodeId);
    }

    List<Lease> leasesOf(String nodeId) {
        return tickets.leasesOf(nodeId);
    }

    // ---- wire form ----

    /** Writes the state in {@link WireFormat}, its version first (see {@link GroupStateCodec}). */
    public void writeTo(DataOutput out) throws IOException {
        GroupStateCodec.write(this, out);
    }

    /** Reads what {@link #writeTo} wrote; refuses another version and names a truncated stream. */
    public static GroupState readFrom(DataInput in) throws IOException {
        return GroupStateCodec.read(in);
    }

    void restoreClock(long commit, long now, long window, long nextArrival) {
        this.commit = commit;
        this.now = now;
        this.window = window;
        this.nextArrival = nextArrival;
    }

    Collection<Outcome> recentOutcomes() {
        return recentOutcomes;
    }

    // ---- the only writes ----

    /** Applies one recorded decision. Deterministic: the same changes on the same state give the same state. */
    void apply(Change change) {
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
            memo.remember(r.opId(), r.result(), r.forgetAt(), tickets.isLive(r.opId()));
        } else if (change instanceof Change.SpecAdopted a) {
            spec = a.spec();
            usage = usage.reshapedFor(a.spec(), tickets.leases());
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
    Outcome recentOutcome(String opId) {
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
        tickets.queue(ticket);
        memo.ticketLive(ticket.id(), true);
        memo.forgetEnd(ticket.id());
        if (ticket.arrival() >= nextArrival) nextArrival = ticket.arrival() + 1;
    }

    private void endTicket(String ticketId, EndReason reason) {
        Record live = tickets.endWaiting(ticketId);
        long forgetAt = now + spec.leaseBoundMillis();
        memo.ended(ticketId, reason, forgetAt);
        // Its enqueue's id is kept a lease bound after the ticket ends.
        memo.keep(ticketId, forgetAt, live instanceof Lease);
    }

    private void grant(Lease lease) {
        if (!tickets.grant(lease)) memo.ticketLive(lease.ticketId(), true);
        usage.charge(lease, lease.window() == window);
    }

    private void endLease(String leaseId, long tokensUsed, boolean refund) {
        Lease lease = tickets.endLease(leaseId);
        if (lease == null) return;
        // While another lease holds the ticket (a re-registered one), the ticket's memory stays as it is.
        Record still = tickets.live(lease.ticketId());
        if (!(still instanceof Lease)) memo.keep(lease.ticketId(), now + spec.leaseBoundMillis(), still instanceof Ticket);
        usage.release(lease, lease.window() == window, tokensUsed, refund);
    }
}
