package dev.triage.benchmarks.load;

/**
 * The config every node of a run serves: one model group per scenario, each a single deployment at the
 * upstream behaviour and limit that scenario needs, so that one set of nodes serves them all.
 */
final class NodeConfig {
    /** No limit, no delay: overhead and throughput. */
    static final String FREE = "free";
    /** Two slots, no delay, many callers: trains the JIT on the queued path (enqueue, grant, release). */
    static final String QUEUED = "queued";
    /** One slot, 100 ms calls: the time from one call's end to the next call's arrival. */
    static final String HANDOFF = "handoff";
    /** One slot, 20 ms calls: the order in which a saturated queue is admitted. */
    static final String ORDERING = "ordering";
    /** Four slots, 50 ms calls: how busy a saturated deployment is kept. */
    static final String UTILISATION = "utilisation";
    static final int UTILISATION_SLOTS = 4;
    static final int UTILISATION_DELAY_MS = 50;

    private NodeConfig() {
    }

    /** @param redisUrl the server of Redis mode, or null for the embedded backend */
    static String yaml(UpstreamProcess upstream, int queueTimeoutSeconds, String redisUrl) {
        String redis = redisUrl == null ? "" : "  redis_url: " + redisUrl + "\nredis:\n  key_prefix: load-"
                + java.util.UUID.randomUUID() + "\n";
        return """
                model_list:
                %s%s%s%s%slitellm_settings:
                  num_retries: 0
                router_settings:
                  timeout: %d
                %s""".formatted(
                deployment(FREE, upstream.apiBase("/fast"), 0),
                deployment(QUEUED, upstream.apiBase("/fast"), 2),
                deployment(HANDOFF, upstream.apiBase("/delay/100"), 1),
                deployment(ORDERING, upstream.apiBase("/delay/20"), 1),
                deployment(UTILISATION, upstream.apiBase("/delay/" + UTILISATION_DELAY_MS), UTILISATION_SLOTS),
                queueTimeoutSeconds, redis);
    }

    /** A deployment; {@code maxParallel} 0 for none. */
    private static String deployment(String group, String apiBase, int maxParallel) {
        return """
                  - model_name: %s
                    litellm_params:
                      model: openai/%s
                      api_base: %s
                %s""".formatted(group, group, apiBase,
                maxParallel > 0 ? "      max_parallel_requests: " + maxParallel + "\n" : "");
    }
}
