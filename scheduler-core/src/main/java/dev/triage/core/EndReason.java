package dev.triage.core;

/** Why a waiting ticket left the queue without a grant. */
public enum EndReason {
    /** Its deadline passed: the client gets 429 {@code queue_timeout}. */
    EXPIRED,
    /** A higher-priority ticket took its place in a full queue: 429 {@code queue_full}. */
    SHED,
    /** The node that held it cancelled it (client gone). */
    CANCELLED,
    /** The node that held it was dropped (left, or silent for the lease bound). */
    NODE_DROPPED,
    /** The store does not know it and has no record of its end (state lost in the same epoch). */
    LOST
}
