package dev.triage.config;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a fleet in Redis mode keeps its queues: from LiteLLM's {@code router_settings} keys ({@code redis_url},
 * or {@code redis_host} and {@code redis_port}; {@code redis_password}; Triage's {@code redis_username} for an
 * ACL user) and Triage's own {@code redis} section ({@code key_prefix}, {@code cluster_nodes}).
 *
 * @param endpoints  {@code redis://host:port} or {@code rediss://host:port} (TLS), without credentials: one for a
 *                   standalone server, the seeds for Redis Cluster
 * @param cluster    whether the endpoints are Redis Cluster seeds
 * @param username   the ACL user, if not the default one
 * @param password   the password, from {@code redis_password} or the URL's user info
 * @param keyPrefix  what this fleet's keys start with, so that several fleets share one server
 */
public record RedisSettings(List<URI> endpoints, boolean cluster, Optional<String> username,
                            Optional<Secret> password, String keyPrefix) {

    public static final String DEFAULT_KEY_PREFIX = "default";
    public static final int DEFAULT_PORT = 6379;

    public RedisSettings {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) throw new IllegalArgumentException("no Redis endpoint");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
    }
}
