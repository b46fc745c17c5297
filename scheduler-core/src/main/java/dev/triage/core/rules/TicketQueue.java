package dev.triage.core.rules;

import dev.triage.core.Lease;
import dev.triage.core.Ticket;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A group's waiting tickets (in queue order and by deadline) and its leases, with what each node holds of them
 * kept up to date in {@link Nodes}.
 */
final class TicketQueue {

    private static final class DeadlineOrder implements Comparator<Ticket> {
        @Override
        public int compare(Ticket a, Ticket b) {
            if (a == b) return 0;
            int byDeadline = Long.compare(a.deadline(), b.deadline());
            return byDeadline != 0 ? byDeadline : Ticket.QUEUE_ORDER.compare(a, b);
        }
    }

    private static final Comparator<Ticket> DEADLINE_ORDER = new DeadlineOrder();

    private final Nodes nodes;
    private final TreeSet<Ticket> waiting = new TreeSet<>(Ticket.QUEUE_ORDER);
    private final TreeSet<Ticket> byDeadline = new TreeSet<>(DEADLINE_ORDER);
    /**
     * Per live ticket id, its waiting {@link Ticket} or the {@link Lease} it was granted: one map, as the rules never
     * queue a ticket that holds a lease, so that a grant replaces the entry and a duplicate check is one lookup.
     */
    private final Map<String, Record> liveTickets = new HashMap<>();
    private final Map<String, Lease> leases = new HashMap<>();
    /**
     * Live ticket ids with a ':' in them. The ids the rules make for releases and cancels have one and ticket ids
     * (UUIDs) do not, so while this is 0 such an id is known not to be a live ticket without a lookup, which in a
     * deep queue is a cache miss every release.
     */
    private int liveIdsWithColon;
    /** The first of {@code waiting} and of {@code byDeadline}, or null when not known (a TreeSet walks to it). */
    private Ticket headCache;
    private Ticket earliestCache;

    TicketQueue(Nodes nodes) {
        this.nodes = nodes;
    }

    // ---- reads ----

    int waitingCount() {
        return waiting.size();
    }

    /** Waiting tickets in queue order (a copy). */
    List<Ticket> waitingTickets() {
        return new ArrayList<>(waiting);
    }

    Collection<Ticket> waitingInOrder() {
        return Collections.unmodifiableCollection(waiting);
    }

    Ticket head() {
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

    /** The ticket's waiting {@link Ticket} or its {@link Lease}, or null when it is not live. */
    Record live(String ticketId) {
        return liveTickets.get(ticketId);
    }

    boolean isLive(String id) {
        return (liveIdsWithColon > 0 || id.indexOf(':') < 0) && liveTickets.containsKey(id);
    }

    Lease lease(String leaseId) {
        return leases.get(leaseId);
    }

    Collection<Lease> leases() {
        return Collections.unmodifiableCollection(leases.values());
    }

    /** Whether the lease is the one its ticket maps to (a re-registered lease may share a ticket with another). */
    boolean isTicketsLease(Lease lease) {
        return lease.equals(liveTickets.get(lease.ticketId()));
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

    // ---- writes ----

    /** Queues a ticket, replacing a waiting one of the same id. */
    void queue(Ticket ticket) {
        if (putLive(ticket.id(), ticket) instanceof Ticket previous) unqueue(previous);
        waiting.add(ticket);
        byDeadline.add(ticket);
        if (headCache != null && Ticket.QUEUE_ORDER.compare(ticket, headCache) < 0) headCache = ticket;
        if (earliestCache != null && DEADLINE_ORDER.compare(ticket, earliestCache) < 0) earliestCache = ticket;
        nodes.hold(ticket.nodeId(), false);
    }

    /** Takes the ticket out of the queue if it waits; returns what it was before (a ticket, a lease or null). */
    Record endWaiting(String ticketId) {
        Record live = liveTickets.get(ticketId);
        if (live instanceof Ticket ticket) {
            removeLive(ticketId);
            unqueue(ticket);
        }
        return live;
    }

    /** Records a lease; returns whether its ticket was waiting (and so was live already). */
    boolean grant(Lease lease) {
        // A lease taken back by reconcile may make its ticket live again.
        Record previous = putLive(lease.ticketId(), lease);
        if (previous instanceof Ticket ticket) unqueue(ticket);
        Lease replaced = leases.put(lease.id(), lease);
        if (replaced != null) nodes.letGo(replaced.nodeId(), true);
        nodes.hold(lease.nodeId(), true);
        return previous instanceof Ticket;
    }

    /** Ends a lease; returns it, or null if it was not held. Its ticket stays live while another lease has it. */
    Lease endLease(String leaseId) {
        Lease lease = leases.remove(leaseId);
        if (lease == null) return null;
        if (isTicketsLease(lease)) removeLive(lease.ticketId());
        nodes.letGo(lease.nodeId(), true);
        return lease;
    }

    /** Restores a waiting ticket or a lease as the wire form holds them. */
    void restoreWaiting(Ticket t) {
        waiting.add(t);
        byDeadline.add(t);
        putLive(t.id(), t);
        nodes.hold(t.nodeId(), false);
    }

    void restoreLease(Lease l, boolean ticketsLease) {
        leases.put(l.id(), l);
        if (ticketsLease) putLive(l.ticketId(), l);
        nodes.hold(l.nodeId(), true);
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
}
