package dev.triage.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code router_settings}.
 *
 * @param timeout {@code router_settings.timeout} as written
 * @param pollingInterval how often a node with waiters reconciles with the store
 * @param redisUsername {@code router_settings.redis_username}, the ACL user of Redis mode
 * @param maxQueueSize waiting tickets a model group holds at most (Triage's own key)
 * @param queueTimeout how long a ticket may wait: {@code router_settings.timeout}, else
 *     {@code litellm_settings.request_timeout}, else {@link #DEFAULT_QUEUE_TIMEOUT}, as LiteLLM
 */
public record RouterSettings(
        RoutingStrategyName routingStrategy,
        Optional<Duration> timeout,
        Duration pollingInterval,
        Optional<String> redisHost,
        OptionalInt redisPort,
        Optional<Secret> redisPassword,
        Optional<String> redisUsername,
        Optional<URI> redisUrl,
        int allowedFails,
        Duration cooldownTime,
        long defaultPriority,
        int maxQueueSize,
        Duration queueTimeout) {

    public static final RoutingStrategyName DEFAULT_ROUTING_STRATEGY = RoutingStrategyName.SIMPLE_SHUFFLE;
    public static final Duration DEFAULT_POLLING_INTERVAL = Duration.ofMillis(30);
    public static final int DEFAULT_ALLOWED_FAILS = 3;
    public static final Duration DEFAULT_COOLDOWN_TIME = Duration.ofSeconds(5);
    public static final long DEFAULT_PRIORITY = 0;
    public static final int DEFAULT_MAX_QUEUE_SIZE = 100_000;
    public static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofSeconds(600);

    public RouterSettings {
        Objects.requireNonNull(routingStrategy, "routingStrategy");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(pollingInterval, "pollingInterval");
        Objects.requireNonNull(redisHost, "redisHost");
        Objects.requireNonNull(redisPort, "redisPort");
        Objects.requireNonNull(redisPassword, "redisPassword");
        Objects.requireNonNull(redisUsername, "redisUsername");
        Objects.requireNonNull(redisUrl, "redisUrl");
        Objects.requireNonNull(cooldownTime, "cooldownTime");
        Objects.requireNonNull(queueTimeout, "queueTimeout");
    }

    /**
     * The backend these settings ask for: REDIS when {@code redis_host} or {@code redis_url} is set, else EMBEDDED.
     * Triage's {@code redis.cluster_nodes} asks for Redis too: {@link TriageConfig#backend()} counts both.
     */
    public Backend backend() {
        return redisHost.isPresent() || redisUrl.isPresent() ? Backend.REDIS : Backend.EMBEDDED;
    }

    /** Masks a password in {@link #redisUrl()}, which the generated toString would print. */
    @Override
    public String toString() {
        return "RouterSettings[routingStrategy=" + routingStrategy
                + ", timeout=" + timeout
                + ", pollingInterval=" + pollingInterval
                + ", redisHost=" + redisHost
                + ", redisPort=" + redisPort
                + ", redisPassword=" + redisPassword
                + ", redisUsername=" + redisUsername
                + ", redisUrl=" + redisUrl.map(ConfigDescription::maskUserInfo)
                + ", allowedFails=" + allowedFails
                + ", cooldownTime=" + cooldownTime
                + ", defaultPriority=" + defaultPriority
                + ", maxQueueSize=" + maxQueueSize
                + ", queueTimeout=" + queueTimeout + "]";
    }
}
