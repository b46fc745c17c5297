package dev.triage.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code litellm_settings}.
 *
 * @param numRetries retries of a failed upstream call; {@link #DEFAULT_NUM_RETRIES} when absent,
 *     as LiteLLM's Router, which falls back to the OpenAI client's default of 2
 * @param requireAuthForMetrics LiteLLM's {@code require_auth_for_metrics_endpoint}: whether {@code /metrics}
 *     needs the master key like every other route but the health probes (by default it does not, as in
 *     LiteLLM, so that a Prometheus without the key can scrape it)
 */
public record LitellmSettings(Optional<Duration> requestTimeout, int numRetries, boolean requireAuthForMetrics) {
    public static final int DEFAULT_NUM_RETRIES = 2;

    public LitellmSettings {
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }
}
