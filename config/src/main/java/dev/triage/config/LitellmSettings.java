package dev.triage.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code litellm_settings}.
 *
 * @param numRetries retries of a failed upstream call; {@link #DEFAULT_NUM_RETRIES} when absent,
 *     as LiteLLM's Router, which falls back to the OpenAI client's default of 2
 */
public record LitellmSettings(Optional<Duration> requestTimeout, int numRetries) {
    public static final int DEFAULT_NUM_RETRIES = 2;

    public LitellmSettings {
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }
}
