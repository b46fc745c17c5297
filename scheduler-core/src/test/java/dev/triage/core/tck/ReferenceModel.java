package dev.triage.core.tck;


import dev.triage.core.ConfigVersion;
import dev.triage.core.Deployment;
import dev.triage.core.DeploymentLoad;
import dev.triage.core.EndReason;
import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.Ticket;
import dev.triage.core.Usage;
import dev.triage.core.rules.Change;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The scheduling contract (docs/scheduling-contract.md, rules 1-9 and 11; not reconcile) as a second, naive
 * implementation of one group: a sorted list of waiting tickets and a few maps, sharing no code with GroupRules or
 * GroupState. It is fed, in
 * commit order, each command a backend applied and the outcome it produced, and checks the outcome against what
 * the contract allows. Where the contract leaves a choice (the deployment simple-shuffle draws, a lease's id) it
 * checks the choice was allowed and adopts it. A mismatch throws an AssertionError naming the step, the command,
 * expected and actual.
 *
 * <p>Two points the contract settles and the model follows even where a backend may not: every command that
 * changes anything ends by granting what fits (contract 2), refused ones and releases of unknown leases included;
 * and a requeue of a ticket that ended within the lease bound is refused like an enqueue.
 */
public final class ReferenceModel {

    static final long WINDOW_MILLIS = 60_000;

    private GroupSpec spec;
    private Long epoch;
    private long commit;
    private long now = Long.MIN_VALUE;
    private long window = Long.MIN_VALUE;
    private long nextArrival = 1;
    /** Kept sorted by (priority, arrival, id). */
    private final List<Ticket> waiting = new ArrayList<>();
    private final Map<String, Lease> leases = new LinkedHashMap<>();
    private final Set<String> leaseIdsUsed = new HashSet<>();
    private final Map<String, Load> loads = new LinkedHashMap<>();
    private final Map<String, Long> lastSeen = new TreeMap<>();
    private final Map<String, Kept<Result>> remembered = new HashMap<>();
    private final Map<String, Kept<EndReason>> ended = new HashMap<>();

    private static final class Load {
        long rpmUsed;
        long tpmUsed;
        int inFlight;
        int failures;
        long cooldownUntil;
    }

    /** Something remembered until {@code forgetAt} (operation ids and ticket ends, for one lease bound). */
    private record Kept<T>(T value, long forgetAt) {
    }

    public ReferenceModel(GroupSpec spec) {
        this.spec = spec;
        for (Deployment d : spec.deployments()) loads.put(d.id(), new Load());
    }

    public long commit() {
        return commit;
    }

    /**
     * Ticks, heartbeats and drops have no unique operation id ("tick" for every tick): each is applied anew, so
     * running one twice changes nothing more than running it once.
     */
    public static boolean rerunnable(Command command) {
        return command instanceof Command.Tick || command instanceof Command.RenewNode
                || command instanceof Command.DropNode;
    }

    /** The store ran the next command twice (its first answer lost with a member): it took one more commit. */
    public void rerun() {
        commit++;
    }

    /** Checks one outcome of a command sent with the group's own settings. */
    public void check(int step, Command command, Outcome outcome) {
        check(step, command, outcome, spec);
    }

    /**
     * Checks one outcome, then applies it; {@code step} only names it in messages. {@code callerSpec} is the
     * settings the command carried (contract 11): adopted first if their config is newer and they differ, and
     * if older and different, the outcome must say the caller is behind.
     */
    public void check(int step, Command command, Outcome outcome, GroupSpec callerSpec) {
        Supplier<String> where = () -> "step " + step + " (commit " + outcome.commit() + ", store time "
                + outcome.now() + "): " + command;
        if (epoch == null) epoch = outcome.epoch();
        expect(outcome.epoch() == epoch, where, () -> "epoch " + epoch, () -> "epoch " + outcome.epoch());
        boolean behind = newerAndDifferent(spec, callerSpec);
        expect(outcome.callerBehind() == behind, where, () -> behind ? "the caller told it is behind, its config "
                + callerSpec.version() + " older than the group's " + spec.version() : "the caller not told it is behind",
                () -> "callerBehind " + outcome.callerBehind());
        Change.SpecAdopted adopted = adoption(outcome);
        Result first = firstResult(command);
        if (first != null || outcome.duplicate()) {
            expect(first != null && outcome.duplicate(), where,
                    () -> first == null ? "a new command" : "a duplicate answering " + first, () -> describe(outcome));
            expect(first.equals(outcome.result()), where, () -> "the first result " + first,
                    () -> "" + outcome.result());
            expect(outcome.commit() == commit && outcome.changes().isEmpty(), where,
                    () -> "no change, commit " + commit, () -> "commit " + outcome.commit() + ", " + outcome.changes());
            checkNextEvent(where, outcome);
            return;
        }
        expect(outcome.commit() == commit + 1, where, () -> "commit " + (commit + 1),
                () -> "commit " + outcome.commit());
        expect(outcome.now() >= now, where, () -> "store time at least " + now, () -> "store time " + outcome.now());
        boolean adopts = newerAndDifferent(callerSpec, spec);
        expect(adopts == (adopted != null) && (adopted == null || adopted.spec().equals(callerSpec)), where,
                () -> adopts ? "the caller's newer settings adopted: " + callerSpec : "the group's settings kept",
                () -> adopted == null ? "kept" : "adopted " + adopted.spec());
        if (adopts) adopt(callerSpec);
        HistoryStep s = new HistoryStep(where, outcome);
        advanceTo(outcome.now());
        for (Ticket t : new ArrayList<>(waiting)) {
            if (t.deadline() <= now) endTicket(t, EndReason.EXPIRED, s);
        }
        for (String node : new ArrayList<>(lastSeen.keySet())) {
            if (lastSeen.get(node) + spec.leaseBoundMillis() <= now) dropNode(node, s);
        }
        Object answer = apply(command, s);
        grantWhatFits(s);
        Result result;
        if (answer instanceof Ticket admitted) {
            Lease lease = s.granted.get(admitted.id());
            result = lease != null ? new Result.Granted(lease) : new Result.Queued(admitted.arrival());
        } else {
            result = (Result) answer;
        }
        if (!rerunnable(command)) {
            remembered.put(command.opId(), new Kept<>(result, now + spec.leaseBoundMillis()));
        }
        expect(result.equals(outcome.result()), where, () -> "result " + result, () -> "result " + outcome.result());
        s.compareEnds();
        commit = outcome.commit();
        checkNextEvent(where, outcome);
    }

    private static boolean newerAndDifferent(GroupSpec a, GroupSpec b) {
        ConfigVersion va = a.version();
        ConfigVersion vb = b.version();
        boolean newer = va.loadedAt() != vb.loadedAt() ? va.loadedAt() > vb.loadedAt() : va.digest() > vb.digest();
        return newer && va.digest() != vb.digest();
    }

    private static Change.SpecAdopted adoption(Outcome outcome) {
        for (Change change : outcome.changes()) {
            if (change instanceof Change.SpecAdopted a) return a;
        }
        return null;
    }

    /**
     * New settings: a deployment kept keeps its counts and cooldown, one added starts from nothing, and every
     * deployment's calls in flight are its leases held, whatever settings they were granted under.
     */
    private void adopt(GroupSpec newer) {
        Map<String, Load> next = new LinkedHashMap<>();
        for (Deployment d : newer.deployments()) {
            Load load = loads.getOrDefault(d.id(), new Load());
            load.inFlight = 0;
            next.put(d.id(), load);
        }
        for (Lease l : leases.values()) {
            Load load = next.get(l.deploymentId());
            if (load != null) load.inFlight++;
        }
        loads.clear();
        loads.putAll(next);
        spec = newer;
    }

    /** The result a duplicate must answer, or null if this command is new. */
    private Result firstResult(Command command) {
        Kept<Result> kept = remembered.get(command.opId());
        // An enqueue's id is its ticket's: kept while the ticket waits or holds a lease, then a lease bound.
        boolean alive = waitingTicket(command.opId()) != null || leaseOfTicket(command.opId()) != null;
        if (kept != null && (kept.forgetAt() > now || alive)) return kept.value();
        String ticketId = command instanceof Command.Enqueue e ? e.ticketId()
                : command instanceof Command.Requeue r ? r.ticketId() : null;
        if (ticketId == null) return null;
        Ticket queued = waitingTicket(ticketId);
        if (queued != null) return new Result.Queued(queued.arrival());
        Lease lease = leaseOfTicket(ticketId);
        return lease != null && command instanceof Command.Enqueue ? new Result.Granted(lease) : null;
    }

    /** Returns the command's result, or the admitted Ticket (Granted or Queued is known only after granting). */
    private Object apply(Command command, HistoryStep s) {
        if (command instanceof Command.Enqueue e) {
            if (endedRecently(e.ticketId())) return new Result.Refused(Result.Refusal.ALREADY_ENDED);
            return admit(new Ticket(e.ticketId(), e.priority(), nextArrival, e.nodeId(), e.deadline(), e.tokens(),
                    Set.of()), s);
        } else if (command instanceof Command.Requeue r) {
            if (leaseOfTicket(r.ticketId()) != null) return new Result.Refused(Result.Refusal.LEASE_HELD);
            if (endedRecently(r.ticketId())) return new Result.Refused(Result.Refusal.ALREADY_ENDED);
            return admit(new Ticket(r.ticketId(), r.priority(), r.arrival(), r.nodeId(), r.deadline(), r.tokens(),
                    r.avoid()), s);
        } else if (command instanceof Command.Release r) {
            return release(r, s);
        } else if (command instanceof Command.Cancel c) {
            Ticket queued = waitingTicket(c.ticketId());
            Lease lease = leaseOfTicket(c.ticketId());
            if (queued != null) {
                endTicket(queued, EndReason.CANCELLED, s);
                return new Result.Cancelled(Result.CancelEffect.WAS_WAITING);
            } else if (lease != null) {
                endLease(lease, 0, true, s);
                return new Result.Cancelled(Result.CancelEffect.LEASE_RETURNED);
            }
            if (!endedRecently(c.ticketId())) {
                // Remembered, so that an enqueue this cancel overtook is refused rather than left behind.
                ended.put(c.ticketId(), new Kept<>(EndReason.CANCELLED, now + spec.leaseBoundMillis()));
                s.tombstone = c.ticketId();
            }
            return new Result.Cancelled(Result.CancelEffect.UNKNOWN);
        } else if (command instanceof Command.RenewNode r) {
            seen(r.nodeId());
        } else if (command instanceof Command.DropNode d) {
            dropNode(d.nodeId(), s);
        } else if (!(command instanceof Command.Tick)) {
            throw new IllegalArgumentException("the reference model does not model " + command);
        }
        return new Result.Applied();
    }

    private Object admit(Ticket ticket, HistoryStep s) {
        seen(ticket.nodeId());
        if (ticket.deadline() <= now) return new Result.Refused(Result.Refusal.EXPIRED);
        boolean fitsSomewhere = false;
        for (Deployment d : spec.deployments()) fitsSomewhere |= ticket.tokens() <= d.tpm();
        if (!fitsSomewhere) return new Result.Refused(Result.Refusal.NEVER_FITS);
        if (waiting.size() >= spec.maxQueueSize()) {
            Ticket last = waiting.get(waiting.size() - 1);
            if (!before(ticket, last)) return new Result.Refused(Result.Refusal.QUEUE_FULL);
            endTicket(last, EndReason.SHED, s);
        }
        int at = 0;
        while (at < waiting.size() && before(waiting.get(at), ticket)) at++;
        waiting.add(at, ticket);
        ended.remove(ticket.id());
        nextArrival = Math.max(nextArrival, ticket.arrival() + 1);
        return ticket;
    }

    private Result release(Command.Release r, HistoryStep s) {
        Lease lease = leases.get(r.leaseId());
        if (lease == null) return new Result.Released(false);
        Usage usage = r.usage();
        endLease(lease, usage.tokensUsed(), usage.completion() == Usage.Completion.NOT_DISPATCHED, s);
        Load load = loads.get(lease.deploymentId());
        if (load == null) return new Result.Released(true); // a deployment the settings no longer have
        if (usage.completion() == Usage.Completion.RATE_LIMITED) {
            load.failures++;
            long coolFor = usage.retryAfterMillis() > 0 ? usage.retryAfterMillis() : spec.cooldownMillis();
            load.cooldownUntil = Math.max(load.cooldownUntil, now + coolFor);
        } else if (usage.completion() == Usage.Completion.FAILED) {
            // allowed_fails: the failure that goes beyond the allowance in this window starts a cooldown.
            load.failures++;
            if (load.failures > spec.allowedFails()) {
                load.cooldownUntil = Math.max(load.cooldownUntil, now + spec.cooldownMillis());
            }
        }
        return new Result.Released(true);
    }

    /** Grants the head while a deployment can take it, matching each grant the backend made in turn. */
    private void grantWhatFits(HistoryStep s) {
        while (true) {
            Ticket head = waiting.isEmpty() ? null : waiting.get(0);
            Lease next = s.grants.peekFirst();
            if (head == null) {
                expect(next == null, s.where, () -> "no grant (nothing waits)", () -> "a grant of " + next);
                return;
            }
            List<String> allowed = allowedDeployments(head);
            if (next == null) {
                expect(allowed.isEmpty(), s.where, () -> "a grant of " + head.id() + " to one of " + allowed + ", "
                        + describeLoads(), () -> "no grant");
                return;
            }
            expect(next.ticketId().equals(head.id()), s.where, () -> "a grant of the first waiting ticket " + head.id(),
                    () -> "a grant of " + next.ticketId() + "; waiting in order: " + waitingIds());
            expect(allowed.contains(next.deploymentId()), s.where, () -> head.id() + " granted to one of " + allowed
                    + " (tier, capacity, routing, avoid " + head.avoid() + "), " + describeLoads(),
                    () -> "granted to " + next.deploymentId());
            Lease expected = new Lease(next.id(), head.id(), head.nodeId(), next.deploymentId(), window,
                    head.tokens(), head.priority(), head.arrival(), now);
            expect(expected.equals(next), s.where, () -> "lease " + expected, () -> "lease " + next);
            expect(leaseIdsUsed.add(next.id()), s.where, () -> "a lease id never used before",
                    () -> next.id() + " again");
            s.grants.removeFirst();
            waiting.remove(0);
            leases.put(next.id(), next);
            Load load = loads.get(next.deploymentId());
            load.inFlight++;
            load.rpmUsed++;
            load.tpmUsed += next.tokensReserved();
            s.granted.put(head.id(), next);
        }
    }

    /** Where the ticket may go now: the lowest order tier with capacity, narrowed by a deterministic routing. */
    List<String> allowedDeployments(Ticket ticket) {
        boolean honourAvoid = false;
        for (Deployment d : spec.deployments()) {
            honourAvoid |= !ticket.avoid().contains(d.id()) && loads.get(d.id()).cooldownUntil <= now;
        }
        List<Deployment> fitting = new ArrayList<>();
        int tier = Integer.MAX_VALUE;
        for (Deployment d : spec.deployments()) {
            Load load = loads.get(d.id());
            boolean avoided = honourAvoid && ticket.avoid().contains(d.id());
            if (!avoided && load.cooldownUntil <= now && load.inFlight < d.maxParallelRequests()
                    && load.rpmUsed < d.rpm() && d.tpm() - load.tpmUsed >= ticket.tokens()) {
                fitting.add(d);
                tier = Math.min(tier, d.order());
            }
        }
        int lowestTier = tier;
        fitting.removeIf(d -> d.order() != lowestTier);
        switch (spec.routing()) {
            case LEAST_BUSY -> {
                int least = fitting.stream().mapToInt(d -> loads.get(d.id()).inFlight).min().orElse(0);
                fitting.removeIf(d -> loads.get(d.id()).inFlight != least);
            }
            case USAGE_BASED_ROUTING -> {
                long most = fitting.stream().mapToLong(d -> d.rpm() - loads.get(d.id()).rpmUsed).max().orElse(0);
                fitting.removeIf(d -> d.rpm() - loads.get(d.id()).rpmUsed != most);
            }
            case SIMPLE_SHUFFLE -> {
            }
        }
        return fitting.stream().map(Deployment::id).toList();
    }

    private void advanceTo(long at) {
        now = Math.max(now, at);
        long w = Math.floorDiv(now, WINDOW_MILLIS);
        if (w > window) {
            window = w;
            for (Load load : loads.values()) {
                load.rpmUsed = 0;
                load.tpmUsed = 0;
                load.failures = 0;
            }
        }
    }

    private void endTicket(Ticket ticket, EndReason reason, HistoryStep s) {
        waiting.remove(ticket);
        ended.put(ticket.id(), new Kept<>(reason, now + spec.leaseBoundMillis()));
        keepEnqueueMemo(ticket.id());
        s.expectedEnds.put(ticket.id(), new HistoryStep.End(reason, ticket.nodeId()));
    }

    /** The enqueue of a ticket that just ended is remembered for a lease bound from now. */
    private void keepEnqueueMemo(String ticketId) {
        Kept<Result> kept = remembered.get(ticketId);
        if (kept != null) remembered.put(ticketId, new Kept<>(kept.value(), now + spec.leaseBoundMillis()));
    }

    /** Frees the slot; in the lease's window a refund returns its rpm unit and reservation, else usage corrects tpm. */
    private void endLease(Lease lease, long tokensUsed, boolean refund, HistoryStep s) {
        leases.remove(lease.id());
        if (leaseOfTicket(lease.ticketId()) == null) keepEnqueueMemo(lease.ticketId());
        s.expectedLeaseEnds.put(lease.id(), refund);
        Load load = loads.get(lease.deploymentId());
        if (load == null) return;
        load.inFlight--;
        if (lease.window() != window) return;
        if (refund) {
            load.rpmUsed = Math.max(0, load.rpmUsed - 1);
            load.tpmUsed = Math.max(0, load.tpmUsed - lease.tokensReserved());
        } else {
            // The reservation comes off what is counted (which a deployment added back afresh may not hold).
            load.tpmUsed = Math.max(0, load.tpmUsed - lease.tokensReserved()) + tokensUsed;
        }
    }

    /** Its waiting tickets end; its leases end keeping their rpm unit and reservation (the call may have gone out). */
    private void dropNode(String nodeId, HistoryStep s) {
        for (Ticket t : new ArrayList<>(waiting)) {
            if (t.nodeId().equals(nodeId)) endTicket(t, EndReason.NODE_DROPPED, s);
        }
        for (Lease l : new ArrayList<>(leases.values())) {
            if (l.nodeId().equals(nodeId)) endLease(l, l.tokensReserved(), false, s);
        }
        lastSeen.remove(nodeId);
    }

    /** A node is seen when it renews, reconciles or queues a ticket. */
    private void seen(String nodeId) {
        lastSeen.merge(nodeId, now, Math::max);
    }

    /** The store must tick no later than the first moment something becomes due. */
    private void checkNextEvent(Supplier<String> where, Outcome outcome) {
        long due = Long.MAX_VALUE;
        Set<String> holders = new HashSet<>();
        for (Ticket t : waiting) holders.add(t.nodeId());
        for (Lease l : leases.values()) holders.add(l.nodeId());
        for (String node : holders) {
            if (lastSeen.containsKey(node)) due = Math.min(due, lastSeen.get(node) + spec.leaseBoundMillis());
        }
        if (!waiting.isEmpty()) {
            for (Ticket t : waiting) due = Math.min(due, t.deadline());
            due = Math.min(due, (window + 1) * WINDOW_MILLIS);
            for (Load load : loads.values()) if (load.cooldownUntil > now) due = Math.min(due, load.cooldownUntil);
        }
        long dueBy = due;
        expect(outcome.nextEventAt() <= dueBy, where, () -> "a tick due by " + dueBy,
                () -> "next event at " + outcome.nextEventAt());
    }

    /** Compares the model with a snapshot the backend took at the same commit. */
    public void assertMatches(GroupSnapshot snapshot) {
        Supplier<String> where = () -> "snapshot at commit " + snapshot.commit();
        expect(snapshot.commit() == commit, where, () -> "a snapshot at the model's commit " + commit,
                () -> "" + snapshot.commit());
        expect(snapshot.now() == now && snapshot.window() == window, where,
                () -> "store time " + now + ", window " + window,
                () -> "store time " + snapshot.now() + ", window " + snapshot.window());
        expect(snapshot.waiting().equals(waiting), where, () -> "waiting " + waiting, () -> "" + snapshot.waiting());
        Map<String, Lease> held = new TreeMap<>();
        for (Lease l : snapshot.leases()) held.put(l.id(), l);
        expect(held.equals(new TreeMap<>(leases)), where, () -> "leases " + leases.keySet(), () -> "" + held.keySet());
        for (Deployment d : spec.deployments()) {
            Load load = loads.get(d.id());
            DeploymentLoad expected = new DeploymentLoad(d.id(), load.rpmUsed, load.tpmUsed, load.inFlight,
                    load.failures, load.cooldownUntil);
            expect(expected.equals(snapshot.load(d.id())), where, () -> "" + expected,
                    () -> "" + snapshot.load(d.id()));
        }
    }

    private boolean endedRecently(String ticketId) {
        Kept<EndReason> end = ended.get(ticketId);
        return end != null && end.forgetAt() > now;
    }

    private Ticket waitingTicket(String ticketId) {
        for (Ticket t : waiting) if (t.id().equals(ticketId)) return t;
        return null;
    }

    private Lease leaseOfTicket(String ticketId) {
        for (Lease l : leases.values()) if (l.ticketId().equals(ticketId)) return l;
        return null;
    }

    private static boolean before(Ticket a, Ticket b) {
        if (a.priority() != b.priority()) return a.priority() < b.priority();
        if (a.arrival() != b.arrival()) return a.arrival() < b.arrival();
        return a.id().compareTo(b.id()) < 0;
    }

    private List<String> waitingIds() {
        return waiting.stream().map(Ticket::id).toList();
    }

    private String describeLoads() {
        StringBuilder text = new StringBuilder("loads at window " + window + ":");
        loads.forEach((id, l) -> text.append(' ').append(id).append("{rpm ").append(l.rpmUsed).append(", tpm ")
                .append(l.tpmUsed).append(", inFlight ").append(l.inFlight).append(", cooling until ")
                .append(l.cooldownUntil).append('}'));
        return text.toString();
    }

    private static String describe(Outcome outcome) {
        return (outcome.duplicate() ? "a duplicate answering " : "a new command answering ") + outcome.result();
    }

    /** Messages are built only on failure: the checker asks this some twenty times per command. */
    static void expect(boolean condition, Supplier<String> where, Supplier<String> expected, Supplier<String> actual) {
        if (!condition) {
            throw new AssertionError(where.get() + "\n  expected: " + expected.get() + "\n  actual:   " + actual.get());
        }
    }
}
