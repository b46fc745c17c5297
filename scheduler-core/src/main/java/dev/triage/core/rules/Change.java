package dev.triage.core.rules;

import dev.triage.core.EndReason;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.Ticket;
import dev.triage.core.spi.Result;

/**
 * One recorded decision. A command's outcome is the list of changes it made; a backup replica, or a replay,
 * applies those with {@link GroupState#apply(Change)} and never decides again (no clock read, no random
 * pick, no id made up on the backup).
 */
public sealed interface Change {

    /** The store's time moved to {@code now}; {@code window} is the minute-aligned rpm window it falls in. */
    record ClockAdvanced(long now, long window) implements Change {
    }

    record TicketQueued(Ticket ticket) implements Change {
    }

    record TicketEnded(String ticketId, String nodeId, EndReason reason) implements Change {
    }

    /** Moves the ticket (if waiting) to a lease, charging one rpm unit, the tpm reservation and a slot. */
    record LeaseGranted(Lease lease) implements Change {
    }

    /**
     * Frees the lease's slot. {@code refund} returns its rpm unit and reservation (not dispatched);
     * otherwise {@code tokensUsed} replaces the reservation in the lease's window.
     */
    record LeaseEnded(String leaseId, long tokensUsed, boolean refund) implements Change {
    }

    /** A failed call: counts towards allowed fails; {@code cooldownUntil > 0} cools the deployment down. */
    record DeploymentFailed(String deploymentId, long cooldownUntil) implements Change {
    }

    record NodeSeen(String nodeId, long at) implements Change {
    }

    record NodeDropped(String nodeId) implements Change {
    }

    /**
     * The group runs by {@code spec} from now on: a caller brought a newer config's settings (contract 11). Leases
     * held stay valid; what they put over a lowered limit is debt.
     */
    record SpecAdopted(GroupSpec spec) implements Change {
    }

    /** An operation id and its first result, kept until {@code forgetAt}. */
    record Remembered(String opId, Result result, long forgetAt) implements Change {
    }
}
