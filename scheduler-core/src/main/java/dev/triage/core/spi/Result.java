package dev.triage.core.spi;

import dev.triage.core.Lease;

import java.util.List;

/** What a command answers its caller. */
public sealed interface Result {

    /** The ticket waits; {@code arrival} is its place among equal priorities. */
    record Queued(long arrival) implements Result {
    }

    /** The ticket was granted in the same command. */
    record Granted(Lease lease) implements Result {
    }

    record Refused(Refusal reason) implements Result {
    }

    /** {@code held}: the lease was live and is now ended; false if the store no longer knew it. */
    record Released(boolean held) implements Result {
    }

    record Cancelled(CancelEffect effect) implements Result {
    }

    /** Heartbeats, drops and ticks. */
    record Applied() implements Result {
    }

    /**
     * The fate of each ticket the node asked about that is no longer simply waiting. For a digest,
     * {@code inSync} says whether the store holds as many of the node's tickets and leases as the node does
     * (if not, the node sends the full lists).
     */
    record Reconciled(List<Notice> notices, int reRegisteredTickets, int reRegisteredLeases, boolean inSync)
            implements Result {
        public Reconciled {
            notices = List.copyOf(notices);
        }

        public Reconciled(List<Notice> notices, int reRegisteredTickets, int reRegisteredLeases) {
            this(notices, reRegisteredTickets, reRegisteredLeases, true);
        }
    }

    enum Refusal {
        /** The queue is at {@code max_queue_size} and the ticket does not outrank its last one. */
        QUEUE_FULL,
        /** Its token estimate is over every deployment's tpm: it could never be granted. */
        NEVER_FITS,
        /** Its deadline had already passed. */
        EXPIRED,
        /** A requeue for a ticket whose lease is still held: release it first. */
        LEASE_HELD,
        /** The ticket had already ended (cancelled, expired, shed) before this command arrived. */
        ALREADY_ENDED
    }

    enum CancelEffect {
        /** It was waiting and is gone. */
        WAS_WAITING,
        /** The grant had raced the cancel: the lease was returned unused. */
        LEASE_RETURNED,
        /** Nothing to cancel: it had already ended. */
        UNKNOWN
    }
}
