package dev.triage.config;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Renders a {@link TriageConfig} for people, YAML-like, with every secret masked. */
final class ConfigDescription {
    private static final String UNSET = "unset";
    private static final Pattern USER_INFO = Pattern.compile("(://)[^/@]*@");

    private final StringBuilder out = new StringBuilder();

    private ConfigDescription() {}

    static String of(TriageConfig config) {
        ConfigDescription description = new ConfigDescription();
        description.render(config);
        return description.out.toString();
    }

    /** {@code redis://:password@host:6379} becomes {@code redis://****@host:6379}. */
    static String maskUserInfo(String url) {
        return USER_INFO.matcher(url).replaceFirst("$1" + Secret.MASK + "@");
    }

    static String maskUserInfo(URI url) {
        return maskUserInfo(url.toString());
    }

    private void render(TriageConfig config) {
        line(0, "source", config.source());
        out.append("model groups:\n");
        for (ModelGroupSettings group : config.groups()) {
            out.append("  ").append(group.name()).append(":\n");
            group.deployments().forEach(this::deployment);
        }
        out.append("litellm_settings:\n");
        line(1, "request_timeout", seconds(config.litellm().requestTimeout()));
        line(1, "num_retries", config.litellm().numRetries());
        line(1, "require_auth_for_metrics_endpoint", config.litellm().requireAuthForMetrics());
        router(config);
        out.append("general_settings:\n");
        line(1, "master_key", masked(config.general().masterKey()));
        line(1, "cancel_on_disconnect", config.general().cancelOnDisconnect());
        line(1, "max_request_size_mb", size(config.general().maxRequestBodyBytes()));
        line(1, "max_waiting_body_mb", size(config.general().maxWaitingBodyBytes()));
        line(1, "drain_timeout", seconds(config.general().drainTimeout()));
        cluster(config.cluster());
        config.redis().ifPresent(this::redis);
        List<String> warnings = config.warnings();
        out.append("warnings:").append(warnings.isEmpty() ? " none\n" : "\n");
        warnings.forEach(warning -> out.append("  - ").append(warning).append('\n'));
    }

    private void deployment(DeploymentSettings deployment) {
        out.append("    - id: ").append(deployment.id()).append('\n');
        line(3, "model", deployment.model());
        line(3, "api_base", deployment.apiBase().map(ConfigDescription::maskUserInfo).orElse(UNSET));
        line(3, "api_key", masked(deployment.apiKey()));
        line(3, "mock_response", deployment.mockResponse().map(Found::quoted).orElse(UNSET));
        line(3, "rpm", number(deployment.rpm()));
        line(3, "tpm", number(deployment.tpm()));
        line(3, "max_parallel_requests", number(deployment.maxParallelRequests()));
        line(3, "timeout", seconds(deployment.timeout()));
        line(3, "weight", deployment.weight());
        line(3, "order", deployment.order() == DeploymentSettings.UNORDERED
                ? UNSET + " (after deployments with an order)"
                : String.valueOf(deployment.order()));
        if (!deployment.modelInfo().isEmpty()) {
            line(3, "model_info", deployment.modelInfo());
        }
    }

    /** Where the queue timeout came from: LiteLLM's fallbacks are easy to miss. */
    private static String queueTimeoutSource(RouterSettings router, LitellmSettings litellm) {
        if (router.timeout().isPresent()) return "router_settings.timeout";
        if (litellm.requestTimeout().isPresent()) return "router_settings.timeout unset: litellm_settings.request_timeout";
        return "router_settings.timeout and litellm_settings.request_timeout unset: the default";
    }

    private void router(TriageConfig config) {
        RouterSettings router = config.router();
        LitellmSettings litellm = config.litellm();
        out.append("router_settings:\n");
        line(1, "routing_strategy", router.routingStrategy().configName());
        line(1, "timeout", seconds(router.timeout()));
        line(1, "queue timeout", seconds(router.queueTimeout()) + " (" + queueTimeoutSource(router, litellm) + ")");
        line(1, "polling_interval", seconds(router.pollingInterval()));
        line(1, "backend", config.backend());
        line(1, "redis_host", router.redisHost().orElse(UNSET));
        line(1, "redis_port", number(router.redisPort()));
        line(1, "redis_password", masked(router.redisPassword()));
        line(1, "redis_url", router.redisUrl().map(ConfigDescription::maskUserInfo).orElse(UNSET));
        line(1, "allowed_fails", router.allowedFails());
        line(1, "cooldown_time", seconds(router.cooldownTime()));
        line(1, "default_priority", router.defaultPriority());
        line(1, "max_queue_size", router.maxQueueSize());
    }

    private void cluster(ClusterSettings cluster) {
        out.append("cluster:\n");
        line(1, "name", cluster.name());
        line(1, "port", cluster.port());
        line(1, "host", cluster.host().orElse(UNSET + " (binds " + cluster.bindAddress() + ")"));
        line(1, "members", cluster.members().isEmpty() ? UNSET : String.join(", ", cluster.members()));
        line(1, "kubernetes", cluster.kubernetes()
                .map(k8s -> "service_dns " + k8s.serviceDns() + ", service_port " + number(k8s.servicePort()))
                .orElse(UNSET));
        line(1, "lease_bound", seconds(cluster.leaseBound()));
        line(1, "min_members", number(cluster.minMembers()));
    }

    /** The server(s) Redis mode uses, as the node will reach them. */
    private void redis(RedisSettings redis) {
        out.append("redis:\n");
        line(1, "endpoints", redis.endpoints().stream().map(URI::toString).collect(Collectors.joining(", ")));
        line(1, "redis_cluster", redis.cluster());
        line(1, "username", redis.username().orElse(UNSET + " (the default user)"));
        line(1, "password", masked(redis.password()));
        line(1, "key_prefix", redis.keyPrefix());
    }

    private void line(int depth, String key, Object value) {
        out.append("  ".repeat(depth)).append(key).append(": ").append(value).append('\n');
    }

    /** {@code 32 MiB}, or the bytes when they are no whole number of MiB. */
    private static String size(long bytes) {
        return bytes % (1L << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }

    private static String masked(Optional<Secret> secret) {
        return secret.map(Secret::toString).orElse(UNSET);
    }

    private static String number(OptionalLong number) {
        return number.isPresent() ? String.valueOf(number.getAsLong()) : UNSET;
    }

    private static String number(OptionalInt number) {
        return number.isPresent() ? String.valueOf(number.getAsInt()) : UNSET;
    }

    private static String seconds(Optional<Duration> duration) {
        return duration.map(ConfigDescription::seconds).orElse(UNSET);
    }

    /** {@code 30s}, {@code 0.03s}: seconds as LiteLLM writes them, exact. */
    static String seconds(Duration duration) {
        BigDecimal seconds = BigDecimal.valueOf(duration.getSeconds()).add(BigDecimal.valueOf(duration.getNano(), 9));
        return seconds.stripTrailingZeros().toPlainString() + "s";
    }
}
