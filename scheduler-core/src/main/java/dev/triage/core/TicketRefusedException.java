package dev.triage.core;

import dev.triage.core.spi.Result;

/** A ticket that ended without a grant, and why; the HTTP layer maps the reason to a status. */
public final class TicketRefusedException extends RuntimeException {

    public enum Reason {
        /** Not granted before its deadline: 429 {@code queue_timeout}. */
        QUEUE_TIMEOUT,
        /** Shed from, or refused by, a full queue: 429 {@code queue_full}. */
        QUEUE_FULL,
        /** Its token estimate is over every deployment's tpm. */
        NEVER_FITS,
        /** This node was dropped from the cluster, or the store lost the ticket: 503. */
        NODE_DROPPED,
        /** The store cannot be reached: 503. */
        UNAVAILABLE,
        /** The node is shutting down: 503. */
        SHUTTING_DOWN
    }

    private final Reason reason;

    public TicketRefusedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public TicketRefusedException(Reason reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    static Reason of(EndReason ended) {
        return switch (ended) {
            case EXPIRED -> Reason.QUEUE_TIMEOUT;
            case SHED -> Reason.QUEUE_FULL;
            case CANCELLED, NODE_DROPPED, LOST -> Reason.NODE_DROPPED;
        };
    }

    static Reason of(Result.Refusal refusal) {
        return switch (refusal) {
            case QUEUE_FULL -> Reason.QUEUE_FULL;
            case NEVER_FITS -> Reason.NEVER_FITS;
            case EXPIRED -> Reason.QUEUE_TIMEOUT;
            case LEASE_HELD, ALREADY_ENDED -> Reason.NODE_DROPPED;
        };
    }
}
