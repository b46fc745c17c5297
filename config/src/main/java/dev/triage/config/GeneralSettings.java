package dev.triage.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code general_settings}.
 *
 * @param masterKey when present, requests need {@code Authorization: Bearer <master_key>}
 * @param cancelOnDisconnect whether a client that disconnects cancels its waiting ticket
 * @param maxRequestBodyBytes LiteLLM's {@code max_request_size_mb}, in bytes: a larger request body is refused
 *     with 413
 * @param maxWaitingBodyBytes {@code max_waiting_body_mb} (Triage's own key), in bytes: how much the bodies of
 *     the calls waiting on one node may hold together; past it a new call gets 429 queue_full. It bounds a
 *     node's memory, which {@code router_settings.max_queue_size} (a count of tickets) cannot. Never smaller
 *     than {@code maxRequestBodyBytes}, so that every body the node accepts can wait
 * @param drainTimeout {@code drain_timeout} (Triage's own key, seconds): on a stop (SIGTERM), how long calls
 *     already admitted may run on; new calls get 503 meanwhile, and calls still running after it are cut off
 */
public record GeneralSettings(
        Optional<Secret> masterKey, boolean cancelOnDisconnect, long maxRequestBodyBytes, long maxWaitingBodyBytes,
        Duration drainTimeout) {

    public static final long DEFAULT_MAX_REQUEST_BODY_BYTES = 32L << 20;
    public static final long DEFAULT_MAX_WAITING_BODY_BYTES = 256L << 20;
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    public GeneralSettings {
        Objects.requireNonNull(masterKey, "masterKey");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (maxRequestBodyBytes < 1 || maxWaitingBodyBytes < maxRequestBodyBytes) {
            throw new IllegalArgumentException("expected 0 < maxRequestBodyBytes <= maxWaitingBodyBytes, found "
                    + maxRequestBodyBytes + " and " + maxWaitingBodyBytes);
        }
    }
}
