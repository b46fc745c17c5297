package dev.triage.core;

/**
 * A request that got its slot: the ticket it waited as and the lease it now holds. Released (or retried)
 * through the {@link NodeScheduler} that granted it, exactly once.
 */
public record Admission(String group, Ticket ticket, Lease lease) {
}
