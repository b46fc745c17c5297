package dev.triage.config;

/** Where the cluster keeps its queues: embedded Hazelcast, or Redis when a Redis server is configured. */
public enum Backend {
    EMBEDDED,
    REDIS
}
