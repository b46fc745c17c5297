package dev.triage.core;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A model group: the deployments that serve one {@code model_name} and the rules its queue runs by.
 * Durations are milliseconds.
 *
 * @param allowedFails   failures a deployment may have in one window before it cools down (LiteLLM's
 *                       {@code allowed_fails})
 * @param cooldownMillis how long a failing deployment is left out (LiteLLM's {@code cooldown_time})
 * @param leaseBoundMillis how long a node may stay silent before its tickets and leases are reclaimed;
 *                       also how long operation ids are remembered after their command
 * @param version        which config these settings came from: a group adopts a newer version's settings
 *                       (contract 11)
 */
public record GroupSpec(
        String name,
        List<Deployment> deployments,
        RoutingStrategy routing,
        int maxQueueSize,
        int allowedFails,
        long cooldownMillis,
        long leaseBoundMillis,
        ConfigVersion version) {

    public static final int DEFAULT_MAX_QUEUE_SIZE = 100_000;
    public static final int DEFAULT_ALLOWED_FAILS = 3;
    public static final long DEFAULT_COOLDOWN_MILLIS = 5_000;
    public static final long DEFAULT_LEASE_BOUND_MILLIS = 15_000;

    public GroupSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(version, "version");
        deployments = List.copyOf(deployments);
        if (deployments.isEmpty()) throw new IllegalArgumentException("group " + name + " has no deployments");
        var ids = new HashSet<String>();
        for (Deployment d : deployments) {
            if (!ids.add(d.id())) throw new IllegalArgumentException("group " + name + " repeats deployment " + d.id());
        }
        if (maxQueueSize <= 0) throw new IllegalArgumentException("maxQueueSize must be positive, was " + maxQueueSize);
        if (allowedFails < 0) throw new IllegalArgumentException("allowedFails must not be negative, was " + allowedFails);
        if (cooldownMillis < 0) throw new IllegalArgumentException("cooldownMillis must not be negative");
        if (leaseBoundMillis <= 0) throw new IllegalArgumentException("leaseBoundMillis must be positive");
    }

    /** A spec made in code: {@link ConfigVersion#INITIAL}. */
    public GroupSpec(String name, List<Deployment> deployments, RoutingStrategy routing, int maxQueueSize,
                     int allowedFails, long cooldownMillis, long leaseBoundMillis) {
        this(name, deployments, routing, maxQueueSize, allowedFails, cooldownMillis, leaseBoundMillis,
                ConfigVersion.INITIAL);
    }

    /** A group with LiteLLM's defaults: simple-shuffle, 3 allowed fails, 5 s cooldown; a 15 s lease bound. */
    public static GroupSpec of(String name, Deployment... deployments) {
        return new GroupSpec(name, List.of(deployments), RoutingStrategy.SIMPLE_SHUFFLE, DEFAULT_MAX_QUEUE_SIZE,
                DEFAULT_ALLOWED_FAILS, DEFAULT_COOLDOWN_MILLIS, DEFAULT_LEASE_BOUND_MILLIS);
    }

    public GroupSpec withRouting(RoutingStrategy value) {
        return new GroupSpec(name, deployments, value, maxQueueSize, allowedFails, cooldownMillis, leaseBoundMillis, version);
    }

    public GroupSpec withMaxQueueSize(int value) {
        return new GroupSpec(name, deployments, routing, value, allowedFails, cooldownMillis, leaseBoundMillis, version);
    }

    public GroupSpec withCooldown(int fails, long millis) {
        return new GroupSpec(name, deployments, routing, maxQueueSize, fails, millis, leaseBoundMillis, version);
    }

    public GroupSpec withLeaseBound(long millis) {
        return new GroupSpec(name, deployments, routing, maxQueueSize, allowedFails, cooldownMillis, millis, version);
    }

    /** These settings as loaded from a config file at store time {@code at}. */
    public GroupSpec loadedAt(long at) {
        return new GroupSpec(name, deployments, routing, maxQueueSize, allowedFails, cooldownMillis, leaseBoundMillis,
                new ConfigVersion(at, settingsDigest()));
    }

    /**
     * A digest of the settings (everything but the version), the same in every JVM: records' own hash codes are
     * not (an enum's is its identity), so it is built from the values.
     */
    public long settingsDigest() {
        long h = mix(0x9E3779B97F4A7C15L, name.hashCode());
        for (Deployment d : deployments) {
            h = mix(h, d.id().hashCode());
            h = mix(h, d.rpm());
            h = mix(h, d.tpm());
            h = mix(h, d.maxParallelRequests());
            h = mix(h, d.weight());
            h = mix(h, d.order());
        }
        h = mix(h, routing.name().hashCode());
        h = mix(h, maxQueueSize);
        h = mix(h, allowedFails);
        h = mix(h, cooldownMillis);
        return mix(h, leaseBoundMillis);
    }

    private static long mix(long h, long value) {
        long x = (h ^ value) * 0xBF58476D1CE4E5B9L;
        return x ^ (x >>> 31);
    }

    public Deployment deployment(String id) {
        for (Deployment d : deployments) {
            if (d.id().equals(id)) return d;
        }
        return null;
    }
}
