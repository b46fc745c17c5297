package dev.triage.core.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether a node may admit now, and if not, why, in words an operator can act on: "1 of 3 members present,
 * cluster.min_members is 2". A node that may not admit answers new calls 503 with that reason at once.
 */
public record StoreHealth(Optional<String> problem) {

    public static final StoreHealth HEALTHY = new StoreHealth(Optional.empty());

    public StoreHealth {
        Objects.requireNonNull(problem, "problem");
    }

    public static StoreHealth unhealthy(String problem) {
        return new StoreHealth(Optional.of(problem));
    }

    public boolean healthy() {
        return problem.isEmpty();
    }
}
