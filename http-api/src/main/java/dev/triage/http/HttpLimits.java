package dev.triage.http;

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

    public static final HttpLimits DEFAULTS = new HttpLimits(32L << 20, 256L << 20, 256, 64L << 20);

    public HttpLimits {
        if (maxBodyBytes <= 0 || maxWaitingBodyBytes <= 0 || upstreamConnectionsPerHost <= 0
                || maxUpstreamBodyBytes <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + this);
        }
    }

    public HttpLimits withMaxBodyBytes(long value) {
        return new HttpLimits(value, maxWaitingBodyBytes, upstreamConnectionsPerHost, maxUpstreamBodyBytes);
    }

    public HttpLimits withMaxWaitingBodyBytes(long value) {
        return new HttpLimits(maxBodyBytes, value, upstreamConnectionsPerHost, maxUpstreamBodyBytes);
    }
}
