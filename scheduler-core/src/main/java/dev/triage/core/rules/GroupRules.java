package dev.triage.core.rules;

import dev.triage.core.Deployment;
import dev.triage.core.EndReason;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.RoutingStrategy;
import dev.triage.core.Ticket;
import dev.triage.core.Usage;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Notice;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The scheduling rules, written once: applies one {@link Command} to one group's {@link GroupState} and
 * records every decision as a {@link Change}. Backends call {@link #execute} where the state lives
 * (under a lock, in an entry processor, in a script) and replicas call {@link GroupState#replay}.
 *
 * <p>Every command first applies what time has made due (the window roll, expired deadlines, silent nodes),
 * then its own change, then grants the first tickets that fit: a ticket is granted only when no ticket
 * ordered before it is still waiting, so when k slots are free exactly the first k tickets get them.
 */
public final class GroupRules {

    private static final Result APPLIED = OperationMemo.canonical(new Result.Applied());
    private static final Result RELEASED = OperationMemo.canonical(new Result.Released(true));
    private static final Result NOT_HELD = OperationMemo.canonical(new Result.Released(false));

    private GroupRules() {
    }

    /** A command under the group's own settings: what a caller without a config of its own sends. */
    public static Outcome execute(GroupState state, Command command, long clockNow) {
        return execute(state, command, clockNow, state.spec());
    }

    /**
     * @param clockNow   the store's clock, read once by the caller; a clock that moved backwards is ignored
     * @param callerSpec the caller's settings for the group: newer ones are adopted first (contract 11)
     */
    public static Outcome execute(GroupState state, Command command, long clockNow, GroupSpec callerSpec) {
        validate(command);
        boolean behind = isNewer(state.spec(), callerSpec);
        String opId = command.opId();
        Result first = duplicateResult(state, command, opId);
        if (first != null) {
            return new Outcome(state.commit(), state.now(), state.epoch(), true, first, List.of(),
                    nextEventAt(state), state.recentOutcome(opId), behind);
        }
        Run run = new Run(state, command, opId);
        if (isNewer(callerSpec, state.spec())) run.adopt(callerSpec);
        run.housekeeping(Math.max(clockNow, state.now()));
        Result result = run.apply(command);
        // Whatever the command did, and even if it was refused, what its housekeeping freed is granted now.
        run.grantWhatFits();
        state.setCommit(state.commit() + 1);
        Outcome outcome = new Outcome(state.commit(), state.now(), state.epoch(), false, result, run.changes.done(),
                nextEventAt(state), null, behind);
        if (run.remembered) state.keepRecent(outcome);
        return outcome;
    }

    /** Whether {@code a}'s settings come from a newer config than {@code b}'s and differ from them. */
    private static boolean isNewer(GroupSpec a, GroupSpec b) {
        return a.version().isNewerThan(b.version()) && a.version().digest() != b.version().digest();
    }

    /**
     * Refuses a command the rules could not apply whole, before anything changes: the state is changed in place,
     * so a failure half-way would leave it half-changed (and its backup, which is sent only a finished outcome,
     * different from it). A lease on a deployment the group no longer has is not such a command: it holds its
     * slot on nothing, and ends normally.
     */
    static void validate(Command command) {
        long tokens = command instanceof Command.Enqueue e ? e.tokens()
                : command instanceof Command.Requeue r ? r.tokens() : 0;
        if (tokens < 0) throw new IllegalArgumentException("tokens must not be negative, was " + tokens + ": " + command);
    }

    /** The first result of an operation seen before, or null for a new one. */
    private static Result duplicateResult(GroupState state, Command command, String opId) {
        Result remembered = state.rememberedResult(opId);
        if (remembered != null) return remembered;
        String ticketId;
        if (command instanceof Command.Enqueue e) {
            ticketId = e.ticketId();
        } else if (command instanceof Command.Requeue r) {
            ticketId = r.ticketId();
        } else {
            return null;
        }
        Ticket waiting = state.waitingTicket(ticketId);
        if (waiting != null) return new Result.Queued(waiting.arrival());
        Lease lease = state.leaseOfTicket(ticketId);
        if (lease != null && command instanceof Command.Enqueue) return new Result.Granted(lease);
        return null;
    }

    /** When the group next needs a tick, or {@link Long#MAX_VALUE}. */
    static long nextEventAt(GroupState state) {
        long at = state.nextSilenceAt();
        if (state.waitingCount() > 0) {
            at = Math.min(at, state.earliestDeadline().deadline());
            at = Math.min(at, (state.window() + 1) * GroupState.WINDOW_MILLIS);
            at = Math.min(at, state.earliestCooldownEnd());
        }
        return at;
    }

    /** One command's application: records each change and applies it at once, so later rules see it. */
    private static final class Run {
        private final GroupState state;
        private GroupSpec spec;
        private final Command command;
        private final String opId;
        /** Handed to the outcome as they are (not copied): a separate object, so an outcome keeps no state alive. */
        private final ChangeList changes = new ChangeList();
        private SplittableRandom random;
        /** Whether the command remembered its operation id (so that its outcome is kept among the recent ones). */
        boolean remembered;

        Run(GroupState state, Command command, String opId) {
            this.state = state;
            this.spec = state.spec();
            this.command = command;
            this.opId = opId;
        }

        private void record(Change change) {
            changes.append(change);
            state.apply(change);
        }

        void adopt(GroupSpec newer) {
            record(new Change.SpecAdopted(newer));
            spec = newer;
        }

        void housekeeping(long now) {
            long window = Math.max(state.window(), Math.floorDiv(now, GroupState.WINDOW_MILLIS));
            if (now > state.now() || window > state.window()) record(new Change.ClockAdvanced(now, window));
            for (Ticket t = state.earliestDeadline(); t != null && t.deadline() <= now; t = state.earliestDeadline()) {
                record(new Change.TicketEnded(t.id(), t.nodeId(), EndReason.EXPIRED));
            }
            if (state.nextSilenceAt() <= now) {
                for (String nodeId : state.silentNodes(now)) dropNode(nodeId);
            }
        }

        Result apply(Command command) {
            Result result;
            if (command instanceof Command.Enqueue e) {
                result = enqueue(e);
            } else if (command instanceof Command.Requeue r) {
                result = requeue(r);
            } else if (command instanceof Command.Release r) {
                result = release(r);
            } else if (command instanceof Command.Cancel c) {
                result = cancel(c);
            } else if (command instanceof Command.RenewNode r) {
                seen(r.nodeId());
                result = APPLIED;
            } else if (command instanceof Command.DropNode d) {
                dropNode(d.nodeId());
                result = APPLIED;
            } else if (command instanceof Command.Tick) {
                result = APPLIED;
            } else if (command instanceof Command.Reconcile r) {
                result = reconcile(r);
            } else {
                throw new IllegalArgumentException("unknown command " + command);
            }
            return result;
        }

        private Result enqueue(Command.Enqueue e) {
            if (state.recentEnd(e.ticketId()) != null) return refuse(Result.Refusal.ALREADY_ENDED);
            Ticket ticket = new Ticket(e.ticketId(), e.priority(), state.nextArrival(), e.nodeId(), e.deadline(),
                    e.tokens(), Set.of());
            return admit(ticket);
        }

        private Result requeue(Command.Requeue r) {
            if (state.leaseOfTicket(r.ticketId()) != null) return refuse(Result.Refusal.LEASE_HELD);
            if (state.recentEnd(r.ticketId()) != null) return refuse(Result.Refusal.ALREADY_ENDED);
            Ticket ticket = new Ticket(r.ticketId(), r.priority(), r.arrival(), r.nodeId(), r.deadline(), r.tokens(),
                    r.avoid());
            return admit(ticket);
        }

        /** Enqueue and requeue alike: check, shed if full, queue, grant, answer. */
        private Result admit(Ticket ticket) {
            seen(ticket.nodeId());
            if (ticket.deadline() <= state.now()) return refuse(Result.Refusal.EXPIRED);
            if (neverFits(ticket)) return refuse(Result.Refusal.NEVER_FITS);
            if (state.waitingCount() >= spec.maxQueueSize()) {
                Ticket last = state.last();
                if (!ticket.isBefore(last)) return refuse(Result.Refusal.QUEUE_FULL);
                record(new Change.TicketEnded(last.id(), last.nodeId(), EndReason.SHED));
            }
            record(new Change.TicketQueued(ticket));
            grantWhatFits();
            Lease lease = state.leaseOfTicket(ticket.id());
            return remember(lease != null ? new Result.Granted(lease) : new Result.Queued(ticket.arrival()));
        }

        private boolean neverFits(Ticket ticket) {
            for (Deployment d : spec.deployments()) {
                if (ticket.tokens() <= d.tpm()) return false;
            }
            return true;
        }

        private Result release(Command.Release r) {
            Lease lease = state.lease(r.leaseId());
            if (lease == null) return remember(NOT_HELD);
            Usage usage = r.usage();
            boolean refund = usage.completion() == Usage.Completion.NOT_DISPATCHED;
            record(new Change.LeaseEnded(lease.id(), usage.tokensUsed(), refund));
            switch (usage.completion()) {
                case RATE_LIMITED -> {
                    long coolFor = usage.retryAfterMillis() > 0 ? usage.retryAfterMillis() : spec.cooldownMillis();
                    record(new Change.DeploymentFailed(lease.deploymentId(), state.now() + coolFor));
                }
                case FAILED -> {
                    // LiteLLM's allowed_fails: the deployment cools down once its failures in the window exceed it.
                    boolean over = state.failures(lease.deploymentId()) + 1 > spec.allowedFails();
                    record(new Change.DeploymentFailed(lease.deploymentId(),
                            over ? state.now() + spec.cooldownMillis() : 0));
                }
                default -> {
                }
            }
            return remember(RELEASED);
        }

        private Result cancel(Command.Cancel c) {
            Ticket ticket = state.waitingTicket(c.ticketId());
            Result.CancelEffect effect;
            if (ticket != null) {
                record(new Change.TicketEnded(ticket.id(), ticket.nodeId(), EndReason.CANCELLED));
                effect = Result.CancelEffect.WAS_WAITING;
            } else if (state.leaseOfTicket(c.ticketId()) != null) {
                record(new Change.LeaseEnded(state.leaseOfTicket(c.ticketId()).id(), 0, true));
                effect = Result.CancelEffect.LEASE_RETURNED;
            } else {
                if (state.recentEnd(c.ticketId()) == null) {
                    // A tombstone, so that an enqueue overtaken by its own cancel is refused, not left behind.
                    record(new Change.TicketEnded(c.ticketId(), "", EndReason.CANCELLED));
                }
                effect = Result.CancelEffect.UNKNOWN;
            }
            return remember(OperationMemo.canonical(new Result.Cancelled(effect)));
        }

        private Result reconcile(Command.Reconcile r) {
            seen(r.nodeId());
            boolean newEpoch = r.knownEpoch() != state.epoch();
            if (r.digest()) {
                boolean inSync = !newEpoch && r.waitingCount() == state.waitingOf(r.nodeId())
                        && r.leaseCount() == state.leaseCountOf(r.nodeId());
                return new Result.Reconciled(List.of(), 0, 0, inSync);
            }
            List<Notice> notices = new ArrayList<>();
            int tickets = 0;
            int leases = 0;
            for (Lease held : r.leases()) {
                if (state.lease(held.id()) != null) continue;
                if (state.rememberedResult(new Command.Release(held.id(), Usage.notDispatched()).opId()) != null) continue;
                // Held by a live node but unknown here: take it back, as debt if it pushes usage over a limit.
                record(new Change.LeaseGranted(held));
                leases++;
            }
            for (Ticket t : r.waiting()) {
                if (state.waitingTicket(t.id()) != null) continue;
                Lease lease = state.leaseOfTicket(t.id());
                EndReason ended = state.recentEnd(t.id());
                if (lease != null) {
                    notices.add(new Notice.Granted(lease));
                } else if (ended != null) {
                    notices.add(new Notice.Ended(t.id(), ended));
                } else if (t.deadline() <= state.now()) {
                    notices.add(new Notice.Ended(t.id(), EndReason.EXPIRED));
                } else if (newEpoch) {
                    record(new Change.TicketQueued(new Ticket(t.id(), t.priority(), t.arrival(), r.nodeId(),
                            t.deadline(), t.tokens(), t.avoid())));
                    tickets++;
                } else {
                    notices.add(new Notice.Ended(t.id(), EndReason.LOST));
                }
            }
            return new Result.Reconciled(notices, tickets, leases);
        }

        private void seen(String nodeId) {
            if (!state.seenSince(nodeId, state.now())) record(new Change.NodeSeen(nodeId, state.now()));
        }

        private void dropNode(String nodeId) {
            for (Ticket t : state.ticketsOf(nodeId)) {
                record(new Change.TicketEnded(t.id(), t.nodeId(), EndReason.NODE_DROPPED));
            }
            for (Lease l : state.leasesOf(nodeId)) {
                // The call may well have been made: keep its rpm unit and reservation, free the slot.
                record(new Change.LeaseEnded(l.id(), l.tokensReserved(), false));
            }
            if (state.knowsNode(nodeId)) record(new Change.NodeDropped(nodeId));
        }

        /** Contract 2: grant the first tickets that fit, stopping at the first that does not. */
        void grantWhatFits() {
            for (Ticket head = state.head(); head != null; head = state.head()) {
                Deployment chosen = choose(head);
                if (chosen == null) return;
                String leaseId = head.id() + Lease.ID_SEPARATOR + (state.commit() + 1);
                record(new Change.LeaseGranted(new Lease(leaseId, head.id(), head.nodeId(), chosen.id(),
                        state.window(), head.tokens(), head.priority(), head.arrival(), state.now())));
            }
        }

        /** The deployment for a ticket: the lowest order tier with capacity, then the routing strategy. */
        private Deployment choose(Ticket ticket) {
            boolean honourAvoid = !ticket.avoid().isEmpty() && hasUnavoided(ticket);
            int bestOrder = Integer.MAX_VALUE;
            int candidates = 0;
            long totalWeight = 0;
            List<Deployment> deployments = spec.deployments();
            for (int i = 0; i < deployments.size(); i++) {
                Deployment d = deployments.get(i);
                if (honourAvoid && ticket.avoid().contains(d.id())) continue;
                if (!state.fits(i, ticket)) continue;
                if (d.order() < bestOrder) {
                    bestOrder = d.order();
                    candidates = 0;
                    totalWeight = 0;
                }
                if (d.order() == bestOrder) {
                    candidates++;
                    totalWeight += d.weight();
                }
            }
            if (candidates == 0) return null;
            long pick = candidates > 1 && spec.routing() == RoutingStrategy.SIMPLE_SHUFFLE
                    ? random().nextLong(totalWeight) : 0;
            Deployment best = null;
            for (int i = 0; i < deployments.size(); i++) {
                Deployment d = deployments.get(i);
                if (d.order() != bestOrder || (honourAvoid && ticket.avoid().contains(d.id())) || !state.fits(i, ticket)) {
                    continue;
                }
                switch (spec.routing()) {
                    case SIMPLE_SHUFFLE -> {
                        pick -= d.weight();
                        if (pick < 0) return d;
                    }
                    case LEAST_BUSY -> {
                        if (best == null || state.inFlight(d.id()) < state.inFlight(best.id())) best = d;
                    }
                    case USAGE_BASED_ROUTING -> {
                        if (best == null || state.rpmLeft(d) > state.rpmLeft(best)) best = d;
                    }
                }
            }
            return best;
        }

        /** Whether some deployment outside the ticket's avoid list is usable at all (not cooling down). */
        private boolean hasUnavoided(Ticket ticket) {
            for (Deployment d : spec.deployments()) {
                if (!ticket.avoid().contains(d.id()) && !state.coolingDown(d)) return true;
            }
            return false;
        }

        /** Seeded from the command's operation id and the commit: no wall-clock randomness in the rules. */
        private SplittableRandom random() {
            if (random == null) {
                random = new SplittableRandom(opId.hashCode() * 0x9E3779B97F4A7C15L + state.commit());
            }
            return random;
        }

        private Result refuse(Result.Refusal reason) {
            return remember(OperationMemo.canonical(new Result.Refused(reason)));
        }

        private Result remember(Result result) {
            record(new Change.Remembered(opId, result, state.now() + spec.leaseBoundMillis()));
            remembered = true;
            return result;
        }
    }
}
