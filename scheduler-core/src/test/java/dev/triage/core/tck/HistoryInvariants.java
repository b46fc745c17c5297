package dev.triage.core.tck;


import dev.triage.core.Deployment;
import dev.triage.core.EndReason;
import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.Ticket;
import dev.triage.core.rules.Change;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import static dev.triage.core.tck.ReferenceModel.expect;

/**
 * The contract's safety rules, checked on the changes a backend recorded, commit after commit, without the
 * reference model: limits hold (rpm per window, max parallel), the window never moves back, a grant always goes to
 * the first waiting ticket, never after the ticket's deadline or its cancel, and every queued ticket ends once.
 * Under settings adopted mid-run (contract 11) the limits are those in effect at each grant: usage over a lowered
 * limit is debt, so what holds is that nothing is granted while usage is at or over the limit, and that a queue
 * over a lowered bound never grows.
 */
final class HistoryInvariants {

    private static final Comparator<Ticket> ORDER = Comparator.comparingLong(Ticket::priority)
            .thenComparingLong(Ticket::arrival).thenComparing(Ticket::id);

    private GroupSpec spec;
    private long now = Long.MIN_VALUE;
    private long window = Long.MIN_VALUE;
    private final TreeSet<Ticket> waiting = new TreeSet<>(ORDER);
    private final Map<String, Ticket> waitingById = new HashMap<>();
    private final Map<String, Lease> live = new HashMap<>();
    private final Map<String, Integer> inFlight = new HashMap<>();
    /** Grants not refunded, by deployment and window. */
    private final Map<String, Long> charged = new HashMap<>();
    private final Map<String, Long> cancelledAt = new HashMap<>();

    HistoryInvariants(GroupSpec spec) {
        this.spec = spec;
    }

    void accept(Supplier<String> where, Command command, Outcome outcome) {
        if (outcome.duplicate()) return;
        int before = waiting.size();
        for (Change change : outcome.changes()) apply(where, change);
        if (command instanceof Command.Cancel c) cancelledAt.put(c.ticketId(), now);
        int bound = Math.max(spec.maxQueueSize(), before);
        expect(waiting.size() <= bound, where, () -> "at most " + bound + " waiting (the bound " + spec.maxQueueSize()
                + ", or as many as before)", () -> waiting.size() + " waiting");
    }

    private void apply(Supplier<String> where, Change change) {
        if (change instanceof Change.SpecAdopted a) {
            expect(a.spec().version().isNewerThan(spec.version()), where, () -> "settings of a newer config than "
                    + spec.version() + " adopted", () -> "" + a.spec().version());
            // A deployment added (or added back) starts its window afresh: what it used before left with it.
            for (Deployment d : a.spec().deployments()) {
                if (spec.deployment(d.id()) == null) charged.remove(d.id() + "@" + window);
            }
            spec = a.spec();
        } else if (change instanceof Change.ClockAdvanced c) {
            expect(c.window() >= window && c.now() >= now, where, () -> "time and window never moving back from "
                    + now + " (window " + window + ")", () -> c.now() + " (window " + c.window() + ")");
            now = c.now();
            window = c.window();
        } else if (change instanceof Change.TicketQueued q) {
            Ticket t = q.ticket();
            expect(!waitingById.containsKey(t.id()), where, () -> t.id() + " queued once",
                    () -> "queued while waiting");
            expect(live.values().stream().noneMatch(l -> l.ticketId().equals(t.id())), where,
                    () -> t.id() + " queued without a lease", () -> "queued while its lease is held");
            expect(t.deadline() > now, where, () -> t.id() + " queued before its deadline " + t.deadline(),
                    () -> "queued at " + now);
            waiting.add(t);
            waitingById.put(t.id(), t);
        } else if (change instanceof Change.TicketEnded e) {
            Ticket t = waitingById.remove(e.ticketId());
            if (t != null) {
                waiting.remove(t);
            } else {
                expect(e.reason() == EndReason.CANCELLED, where, () -> "only a waiting ticket ends " + e.reason(),
                        () -> e.ticketId() + " ended " + e.reason() + " while not waiting");
            }
        } else if (change instanceof Change.LeaseGranted g) {
            grant(where, g.lease());
        } else if (change instanceof Change.LeaseEnded e) {
            Lease l = live.remove(e.leaseId());
            expect(l != null, where, () -> "only a live lease ends", () -> e.leaseId() + " ended while not live");
            inFlight.merge(l.deploymentId(), -1, Integer::sum);
            if (e.refund() && l.window() == window) charged.merge(l.deploymentId() + "@" + l.window(), -1L, Long::sum);
        }
    }

    private void grant(Supplier<String> where, Lease lease) {
        Ticket t = waitingById.get(lease.ticketId());
        expect(t != null, where, () -> "a grant of a waiting ticket",
                () -> lease.ticketId() + " granted while not waiting");
        expect(waiting.first().equals(t), where, () -> "a grant of the first waiting ticket " + waiting.first().id(),
                () -> "a grant of " + lease.ticketId());
        expect(t.deadline() > now, where, () -> lease.ticketId() + " granted before its deadline " + t.deadline(),
                () -> "granted at " + now);
        Long cancelled = cancelledAt.get(t.id());
        expect(cancelled == null || now >= cancelled + spec.leaseBoundMillis(), where,
                () -> t.id() + " never granted after its cancel at " + cancelled, () -> "granted at " + now);
        expect(lease.window() == window, where, () -> "a grant charged to the window " + window,
                () -> "" + lease.window());
        waiting.remove(t);
        waitingById.remove(t.id());
        live.put(lease.id(), lease);
        Deployment d = spec.deployment(lease.deploymentId());
        expect(d != null, where, () -> "a deployment of " + spec.name(), () -> lease.deploymentId());
        int calls = inFlight.merge(d.id(), 1, Integer::sum);
        expect(calls <= d.maxParallelRequests(), where, () -> "at most " + d.maxParallelRequests() + " in flight on "
                + d.id(), () -> calls + " in flight");
        long grants = charged.merge(d.id() + "@" + window, 1L, Long::sum);
        expect(grants <= d.rpm(), where, () -> "at most " + d.rpm() + " grants on " + d.id() + " in window " + window,
                () -> grants + " grants");
    }

    /** What is left at the end: every queued ticket either ended or still waits in the backend. */
    void assertMatches(GroupSnapshot snapshot) {
        Supplier<String> where = () -> "end of history, snapshot at commit " + snapshot.commit();
        List<String> expected = waiting.stream().map(Ticket::id).toList();
        List<String> actual = snapshot.waiting().stream().map(Ticket::id).toList();
        expect(expected.equals(actual), where, () -> "waiting " + expected, () -> "" + actual);
        expect(new TreeMap<>(live).keySet().equals(new TreeSet<>(snapshot.leases().stream().map(Lease::id).toList())),
                where, () -> "leases " + new TreeMap<>(live).keySet(), () -> "" + snapshot.leases());
    }
}
