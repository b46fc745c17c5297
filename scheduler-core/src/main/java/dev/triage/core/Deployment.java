package dev.triage.core;

import java.util.Objects;

/**
 * One upstream deployment of a model group and its limits. A limit of {@link #UNLIMITED}
 * (or {@link #UNLIMITED_PARALLEL}) means the deployment has none of that kind.
 *
 * @param id                  unique within the group (LiteLLM's {@code model_info.id})
 * @param rpm                 requests admitted per minute-aligned window
 * @param tpm                 tokens per minute-aligned window (reserved at grant, corrected at release)
 * @param maxParallelRequests calls in flight at once
 * @param weight              share of traffic under {@code simple-shuffle}
 * @param order               tier: a lower order is used before a higher one
 */
public record Deployment(String id, long rpm, long tpm, int maxParallelRequests, int weight, int order) {

    public static final long UNLIMITED = Long.MAX_VALUE;
    public static final int UNLIMITED_PARALLEL = Integer.MAX_VALUE;

    public Deployment {
        Objects.requireNonNull(id, "id");
        if (rpm <= 0) throw new IllegalArgumentException("rpm must be positive, was " + rpm);
        if (tpm <= 0) throw new IllegalArgumentException("tpm must be positive, was " + tpm);
        if (maxParallelRequests <= 0) {
            throw new IllegalArgumentException("maxParallelRequests must be positive, was " + maxParallelRequests);
        }
        if (weight <= 0) throw new IllegalArgumentException("weight must be positive, was " + weight);
        if (order < 0) throw new IllegalArgumentException("order must not be negative, was " + order);
    }

    /** A deployment with no limits, weight 1, order 1. */
    public static Deployment unlimited(String id) {
        return new Deployment(id, UNLIMITED, UNLIMITED, UNLIMITED_PARALLEL, 1, 1);
    }

    public Deployment withRpm(long value) {
        return new Deployment(id, value, tpm, maxParallelRequests, weight, order);
    }

    public Deployment withTpm(long value) {
        return new Deployment(id, rpm, value, maxParallelRequests, weight, order);
    }

    public Deployment withMaxParallelRequests(int value) {
        return new Deployment(id, rpm, tpm, value, weight, order);
    }

    public Deployment withWeight(int value) {
        return new Deployment(id, rpm, tpm, maxParallelRequests, value, order);
    }

    public Deployment withOrder(int value) {
        return new Deployment(id, rpm, tpm, maxParallelRequests, weight, value);
    }
}
