package dev.triage.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Triage's own {@code cluster} section (LiteLLM has none).
 *
 * @param members {@code host:port} of the nodes to join; empty unless given
 * @param leaseBound how long a silent node keeps its leases before they are reclaimed
 * @param minMembers when present, a node admits only while it sees at least this many members
 */
public record ClusterSettings(
        String name,
        int port,
        List<String> members,
        Optional<KubernetesDiscovery> kubernetes,
        Duration leaseBound,
        OptionalInt minMembers) {

    public static final String DEFAULT_NAME = "triage";
    public static final int DEFAULT_PORT = 5701;
    public static final Duration DEFAULT_LEASE_BOUND = Duration.ofSeconds(15);

    public ClusterSettings {
        Objects.requireNonNull(name, "name");
        members = List.copyOf(members);
        Objects.requireNonNull(kubernetes, "kubernetes");
        Objects.requireNonNull(leaseBound, "leaseBound");
        Objects.requireNonNull(minMembers, "minMembers");
    }

    public static ClusterSettings defaults() {
        return new ClusterSettings(
                DEFAULT_NAME, DEFAULT_PORT, List.of(), Optional.empty(), DEFAULT_LEASE_BOUND, OptionalInt.empty());
    }
}
