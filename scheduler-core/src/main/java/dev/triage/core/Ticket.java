package dev.triage.core;

import java.util.Comparator;
import java.util.Objects;
import java.util.Set;

/**
 * A request waiting for a slot. Small on purpose: the request body never enters the store.
 *
 * @param arrival  sequence number the store assigned, global for the group; ties in priority go to the lower
 * @param deadline epoch millis after which the ticket is expired (counted from the first arrival, retries
 *                 included)
 * @param tokens   tokens reserved against tpm when granted (an estimate)
 * @param avoid    deployments a retry should not be sent to (ignored if it would leave none)
 */
public record Ticket(String id, long priority, long arrival, String nodeId, long deadline, long tokens,
                     Set<String> avoid) {

    /** Queue order: priority ascending, then arrival ascending. */
    public static final Comparator<Ticket> QUEUE_ORDER = new QueueOrder();

    public Ticket {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(nodeId, "nodeId");
        if (tokens < 0) throw new IllegalArgumentException("tokens must not be negative, was " + tokens);
        avoid = Set.copyOf(avoid);
    }

    /** Written out rather than composed from key extractors: this comparison is the queue's hot path. */
    private static final class QueueOrder implements Comparator<Ticket> {
        @Override
        public int compare(Ticket a, Ticket b) {
            if (a == b) return 0;
            int byPriority = Long.compare(a.priority, b.priority);
            if (byPriority != 0) return byPriority;
            int byArrival = Long.compare(a.arrival, b.arrival);
            if (byArrival != 0) return byArrival;
            // Arrivals are unique within an epoch; tickets re-registered from an older one may repeat one.
            return a.id.compareTo(b.id);
        }
    }

    public boolean isBefore(Ticket other) {
        return QUEUE_ORDER.compare(this, other) < 0;
    }
}
