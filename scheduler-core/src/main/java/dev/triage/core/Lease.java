package dev.triage.core;

import java.util.Objects;

/**
 * A granted slot on one deployment, held by a node until it releases it or the node is dropped. Leases
 * never expire for being old: a ten-minute stream keeps its slot.
 *
 * @param window         the minute-aligned rpm window the grant was charged to
 * @param tokensReserved the tpm reservation taken at grant
 */
public record Lease(String id, String ticketId, String nodeId, String deploymentId, long window,
                    long tokensReserved, long priority, long arrival, long grantedAt) {

    /** Between the ticket id and the commit in the id of a lease the store granted. */
    public static final char ID_SEPARATOR = '@';

    public Lease {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ticketId, "ticketId");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(deploymentId, "deploymentId");
    }
}
