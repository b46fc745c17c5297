package dev.triage.core;

/** How a grant picks among the deployments of the lowest order tier that have capacity. */
public enum RoutingStrategy {
    /** Weighted random by {@link Deployment#weight()}, LiteLLM's default. */
    SIMPLE_SHUFFLE,
    /** Fewest calls in flight. */
    LEAST_BUSY,
    /** Most rpm left in the current window. */
    USAGE_BASED_ROUTING
}
