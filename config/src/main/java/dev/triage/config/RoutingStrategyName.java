package dev.triage.config;

import java.util.List;
import java.util.Optional;

/** The LiteLLM routing strategies Triage implements, by their LiteLLM names. */
public enum RoutingStrategyName {
    SIMPLE_SHUFFLE("simple-shuffle"),
    LEAST_BUSY("least-busy"),
    USAGE_BASED_ROUTING("usage-based-routing");

    /** LiteLLM's newer name for usage-based routing; Triage treats both alike. */
    static final String USAGE_BASED_ROUTING_V2 = "usage-based-routing-v2";

    /** LiteLLM strategies Triage knows of but does not implement yet. */
    static final List<String> NOT_YET_IMPLEMENTED = List.of("latency-based-routing", "cost-based-routing");

    private final String configName;

    RoutingStrategyName(String configName) {
        this.configName = configName;
    }

    /** The name as written in {@code router_settings.routing_strategy}. */
    public String configName() {
        return configName;
    }

    public static Optional<RoutingStrategyName> fromConfigName(String name) {
        if (USAGE_BASED_ROUTING_V2.equals(name)) {
            return Optional.of(USAGE_BASED_ROUTING);
        }
        for (RoutingStrategyName strategy : values()) {
            if (strategy.configName.equals(name)) {
                return Optional.of(strategy);
            }
        }
        return Optional.empty();
    }

    /** The accepted names, for error messages. */
    static String acceptedNames() {
        return "simple-shuffle, least-busy, usage-based-routing, " + USAGE_BASED_ROUTING_V2;
    }
}
