package dev.triage.node.cli;

import dev.triage.config.ClusterSettings;
import dev.triage.config.DeploymentSettings;
import dev.triage.config.ModelGroupSettings;
import dev.triage.config.TriageConfig;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/** What a node prints when it starts: what it serves, where its queues live, where it listens. */
final class StartupLines {
    private static final String UNLIMITED = "-";

    private StartupLines() {}

    /** Where the queues live: {@code backend: Redis at redis://10.0.0.5:6379, key prefix default}. */
    static String backend(TriageConfig config, ClusterSettings cluster) {
        return config.redis().map(redis -> "backend: " + (redis.cluster() ? "Redis Cluster, seeds "
                        + redis.endpoints() : "Redis at " + redis.endpoints().get(0)) + ", key prefix " + redis.keyPrefix())
                .orElse("backend: embedded Hazelcast member, cluster " + cluster.name());
    }

    /**
     * One line per model group: {@code model group gpt-4o: 2 deployments: a (rpm 600, tpm -,
     * max_parallel_requests 4); b (rpm 60, tpm 1000, max_parallel_requests -, mock)}, where
     * {@code -} is unlimited.
     */
    static List<String> modelGroups(TriageConfig config) {
        return config.groups().stream().map(StartupLines::modelGroup).toList();
    }

    /** Repeats, after Hazelcast's start-up lines, how many keys the warnings above said were ignored. */
    static Optional<String> ignoredKeys(TriageConfig config) {
        long ignored = config.ignoredKeys();
        if (ignored == 0) return Optional.empty();
        return Optional.of("config " + config.source() + ": " + ignored + (ignored == 1 ? " key" : " keys")
                + " not used by Triage and ignored (see the warnings above)");
    }

    static String listening(String url) {
        return "Triage listening on " + url;
    }

    private static String modelGroup(ModelGroupSettings group) {
        int count = group.deployments().size();
        return "model group " + group.name() + ": " + count + (count == 1 ? " deployment: " : " deployments: ")
                + group.deployments().stream().map(StartupLines::deployment).collect(Collectors.joining("; "));
    }

    private static String deployment(DeploymentSettings deployment) {
        return deployment.id()
                + " (rpm " + limit(deployment.rpm())
                + ", tpm " + limit(deployment.tpm())
                + ", max_parallel_requests " + limit(deployment.maxParallelRequests())
                + (deployment.isMock() ? ", mock)" : ")");
    }

    private static String limit(OptionalLong limit) {
        return limit.isPresent() ? String.valueOf(limit.getAsLong()) : UNLIMITED;
    }

    private static String limit(OptionalInt limit) {
        return limit.isPresent() ? String.valueOf(limit.getAsInt()) : UNLIMITED;
    }
}
