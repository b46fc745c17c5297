package dev.triage.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated configuration: what {@link ConfigLoader} makes of a LiteLLM-style config.yaml.
 *
 * @param source the file name (or the name given to {@link ConfigLoader#parse})
 * @param groups model groups in the order their first deployment appears in {@code model_list}
 * @param redis where Redis mode keeps the queues; present exactly when it is asked for:
 *     {@code router_settings.redis_host} or {@code redis_url}, or {@code redis.cluster_nodes}
 * @param warnings what was accepted but not used, one line each, in file order per section
 */
public record TriageConfig(
        String source,
        List<ModelGroupSettings> groups,
        LitellmSettings litellm,
        RouterSettings router,
        GeneralSettings general,
        ClusterSettings cluster,
        Optional<RedisSettings> redis,
        List<String> warnings) {

    public TriageConfig {
        Objects.requireNonNull(source, "source");
        groups = List.copyOf(groups);
        Objects.requireNonNull(litellm, "litellm");
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(general, "general");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(redis, "redis");
        warnings = List.copyOf(warnings);
    }

    /** A config built in code without Redis settings: {@link #redis()} is empty, the embedded backend runs. */
    public TriageConfig(String source, List<ModelGroupSettings> groups, LitellmSettings litellm, RouterSettings router,
                        GeneralSettings general, ClusterSettings cluster, List<String> warnings) {
        this(source, groups, litellm, router, general, cluster, Optional.empty(), warnings);
    }

    /** The backend that runs: REDIS when {@link #redis()} is present, else EMBEDDED. */
    public Backend backend() {
        return redis.isPresent() ? Backend.REDIS : Backend.EMBEDDED;
    }

    public Optional<ModelGroupSettings> group(String name) {
        return groups.stream().filter(group -> group.name().equals(name)).findFirst();
    }

    /** How many keys the file has that Triage does not use (each one of the {@link #warnings}). */
    public long ignoredKeys() {
        return warnings.stream().filter(warning -> warning.contains(ReadContext.NOT_USED)).count();
    }

    /** The resolved settings for people (e.g. {@code --check-config}), secrets masked. */
    public String describe() {
        return ConfigDescription.of(this);
    }
}
