package dev.triage.core.spi;

import dev.triage.core.Lease;
import dev.triage.core.Ticket;
import dev.triage.core.Usage;
import dev.triage.core.rules.GroupRules;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A change asked of one group's state. Commands are plain data: the rules that apply them live in
 * {@link GroupRules}, written once; a backend only carries a command to where the state lives. Every
 * command has an operation id; a duplicate of a remembered one returns the first result and changes nothing.
 */
public sealed interface Command {

    String opId();

    /** Queue a new ticket; the store assigns its arrival and grants it at once if it is first and fits. */
    record Enqueue(String ticketId, long priority, String nodeId, long deadline, long tokens) implements Command {
        public Enqueue {
            Objects.requireNonNull(ticketId, "ticketId");
            Objects.requireNonNull(nodeId, "nodeId");
        }

        @Override
        public String opId() {
            return ticketId;
        }
    }

    /**
     * Queue a ticket again after a failed attempt: it keeps its priority, arrival and deadline, under a new
     * operation id, and avoids the deployments that failed it.
     */
    record Requeue(String opId, String ticketId, long priority, long arrival, String nodeId, long deadline,
                   long tokens, Set<String> avoid) implements Command {
        public Requeue {
            Objects.requireNonNull(opId, "opId");
            Objects.requireNonNull(ticketId, "ticketId");
            Objects.requireNonNull(nodeId, "nodeId");
            avoid = Set.copyOf(avoid);
        }
    }

    /** End a lease: the call finished (or was never sent) with this usage. */
    record Release(String leaseId, Usage usage) implements Command {
        public static final String OP_ID_PREFIX = "release:";

        public Release {
            Objects.requireNonNull(leaseId, "leaseId");
            Objects.requireNonNull(usage, "usage");
        }

        @Override
        public String opId() {
            return OP_ID_PREFIX + leaseId;
        }
    }

    /** The client is gone: drop its waiting ticket, or return its lease if the grant raced the cancel. */
    record Cancel(String ticketId) implements Command {
        public static final String OP_ID_PREFIX = "cancel:";

        public Cancel {
            Objects.requireNonNull(ticketId, "ticketId");
        }

        @Override
        public String opId() {
            return OP_ID_PREFIX + ticketId;
        }
    }

    /** The node's heartbeat: it is alive, so its leases and tickets stay. */
    record RenewNode(String nodeId) implements Command {
        public RenewNode {
            Objects.requireNonNull(nodeId, "nodeId");
        }

        @Override
        public String opId() {
            return "renew:" + nodeId;
        }
    }

    /** The node left or died: purge its waiting tickets and reclaim its leases. */
    record DropNode(String nodeId) implements Command {
        public DropNode {
            Objects.requireNonNull(nodeId, "nodeId");
        }

        @Override
        public String opId() {
            return "drop:" + nodeId;
        }
    }

    /** Apply what time has made due (expiries, window roll, cooldown ends, silent nodes) and grant. */
    record Tick() implements Command {
        @Override
        public String opId() {
            return "tick";
        }
    }

    /**
     * The node's safety net and its recovery: it says what it believes it holds; the store answers with the
     * fate of each ticket (granted, ended) and takes back what it lost (a new epoch, or leases reclaimed while
     * the node was cut off, which then count as debt).
     *
     * <p>A <em>digest</em> (empty lists, {@code digest} true) sends only how many tickets and leases the node
     * holds: the store answers whether it agrees, so that the periodic safety net costs the same at ten
     * waiters and at ten thousand; only a disagreement is followed by the full lists.
     *
     * @param knownEpoch the epoch the node last saw for this group (0 if none)
     */
    record Reconcile(String nodeId, long knownEpoch, List<Ticket> waiting, List<Lease> leases, boolean digest,
                     int waitingCount, int leaseCount) implements Command {
        public Reconcile {
            Objects.requireNonNull(nodeId, "nodeId");
            waiting = List.copyOf(waiting);
            leases = List.copyOf(leases);
        }

        /** The full form: every ticket and lease the node holds. */
        public Reconcile(String nodeId, long knownEpoch, List<Ticket> waiting, List<Lease> leases) {
            this(nodeId, knownEpoch, waiting, leases, false, waiting.size(), leases.size());
        }

        public static Reconcile digest(String nodeId, long knownEpoch, int waitingCount, int leaseCount) {
            return new Reconcile(nodeId, knownEpoch, List.of(), List.of(), true, waitingCount, leaseCount);
        }

        @Override
        public String opId() {
            return "reconcile:" + nodeId;
        }
    }
}
