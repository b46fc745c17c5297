package dev.triage.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

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
    /** What {@link #isKeyPrefix} accepts, as the "expected ..." half of an error about a key prefix. */
    public static final String KEY_PREFIX_EXPECTED = "a string of letters, digits, '-', '_' and '.'"
            + " (it becomes part of the hash tag {triage:<prefix>:<group>})";
    private static final Pattern KEY_PREFIX = Pattern.compile("[A-Za-z0-9._-]+");

    public RedisSettings {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) throw new IllegalArgumentException("no Redis endpoint");
        for (URI endpoint : endpoints) {
            if (endpoint.getRawUserInfo() != null) throw new IllegalArgumentException("credentials in an endpoint");
        }
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (!isKeyPrefix(keyPrefix)) throw new IllegalArgumentException("key prefix: expected " + KEY_PREFIX_EXPECTED);
    }

    /**
     * A prefix that keeps {@code {triage:<prefix>:<group>}} one hash tag: no braces (a tag ends at the first closing
     * one), no colon (the separator), no spaces.
     */
    public static boolean isKeyPrefix(String text) {
        return text != null && KEY_PREFIX.matcher(text).matches();
    }

    /** {@code scheme://host:port}, or empty when {@code host} is no host name or IP address (e.g. it has a port). */
    static Optional<URI> endpoint(String scheme, String host, int port) {
        try {
            return Optional.of(new URI(scheme, null, host, port, null, null, null));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
