package dev.triage.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Reads {@code router_settings}; the queue timeout also depends on {@code litellm_settings}. */
final class RouterSettingsReader {
    static final List<String> KEYS = List.of(
            "routing_strategy", "timeout", "polling_interval", "redis_host", "redis_port", "redis_password",
            "redis_username", "redis_url", "allowed_fails", "cooldown_time", "default_priority", "max_queue_size");

    private RouterSettingsReader() {}

    static RouterSettings read(ConfigSection section, LitellmSettings litellm) {
        section.warnAboutKeysOtherThan(KEYS);
        Optional<Duration> timeout = section.optional("timeout").map(ConfigNode::positiveSeconds);
        return new RouterSettings(
                section.optional("routing_strategy").map(RouterSettingsReader::strategy)
                        .orElse(RouterSettings.DEFAULT_ROUTING_STRATEGY),
                timeout,
                section.optional("polling_interval").map(ConfigNode::positiveSeconds)
                        .orElse(RouterSettings.DEFAULT_POLLING_INTERVAL),
                section.optional("redis_host").map(ConfigNode::redisHost),
                section.optionalInt("redis_port", ConfigNode::port),
                section.optional("redis_password").map(ConfigNode::secret),
                section.optional("redis_username").map(ConfigNode::string),
                section.optional("redis_url").map(ConfigNode::redisUrl),
                section.optionalInt("allowed_fails", ConfigNode::nonNegativeInt)
                        .orElse(RouterSettings.DEFAULT_ALLOWED_FAILS),
                section.optional("cooldown_time").map(ConfigNode::positiveSeconds)
                        .orElse(RouterSettings.DEFAULT_COOLDOWN_TIME),
                section.optionalLong("default_priority", ConfigNode::signedLong)
                        .orElse(RouterSettings.DEFAULT_PRIORITY),
                section.optionalInt("max_queue_size", ConfigNode::positiveInt)
                        .orElse(RouterSettings.DEFAULT_MAX_QUEUE_SIZE),
                timeout.or(litellm::requestTimeout).orElse(RouterSettings.DEFAULT_QUEUE_TIMEOUT));
    }

    private static RoutingStrategyName strategy(ConfigNode node) {
        String expected = "one of " + RoutingStrategyName.acceptedNames();
        String name = node.string(expected);
        return RoutingStrategyName.fromConfigName(name).orElseThrow(() ->
                RoutingStrategyName.NOT_YET_IMPLEMENTED.contains(name)
                        ? node.context().error(node.path(), expected, Found.notImplementedStrategy(name))
                        : node.mismatch(expected));
    }
}
