package dev.triage.http;

import dev.triage.config.GeneralSettings;
import dev.triage.config.TriageConfig;

/**
 * Bounds that keep one node's memory safe under load.
 *
 * @param maxBodyBytes               a request body over this is refused with 413
 * @param maxWaitingBodyBytes        request bodies held by waiting calls on this node; past it, 429 queue_full
 * @param upstreamConnectionsPerHost the pooled client's HTTP/1.1 connections per upstream host
 * @param maxUpstreamBodyBytes       a non-streamed upstream answer over this fails the call (502)
 */
public record HttpLimits(long maxBodyBytes, long maxWaitingBodyBytes, int upstreamConnectionsPerHost,
                         long maxUpstreamBodyBytes) {

    public static final HttpLimits DEFAULTS = new HttpLimits(GeneralSettings.DEFAULT_MAX_REQUEST_BODY_BYTES,
            GeneralSettings.DEFAULT_MAX_WAITING_BODY_BYTES, 256, 64L << 20);

    public HttpLimits {
        if (maxBodyBytes <= 0 || maxWaitingBodyBytes <= 0 || upstreamConnectionsPerHost <= 0
                || maxUpstreamBodyBytes <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + this);
        }
    }

    /** The defaults, with the body limits of {@code general_settings}. */
    public static HttpLimits from(TriageConfig config) {
        GeneralSettings general = config.general();
        return DEFAULTS.withMaxBodyBytes(general.maxRequestBodyBytes())
                .withMaxWaitingBodyBytes(general.maxWaitingBodyBytes());
    }

    public HttpLimits withMaxBodyBytes(long value) {
        return new HttpLimits(value, maxWaitingBodyBytes, upstreamConnectionsPerHost, maxUpstreamBodyBytes);
    }

    public HttpLimits withMaxWaitingBodyBytes(long value) {
        return new HttpLimits(maxBodyBytes, value, upstreamConnectionsPerHost, maxUpstreamBodyBytes);
    }
}
