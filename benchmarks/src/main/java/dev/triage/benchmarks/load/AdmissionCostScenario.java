package dev.triage.benchmarks.load;

import dev.triage.benchmarks.ClusterLatencyBenchmark;
import dev.triage.config.RedisSettings;
import dev.triage.node.redis.RedisBackend;
import dev.triage.node.redis.RedisConnections;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A release that grants the head, then an enqueue, with the queue held at each depth: on a real in-process
 * Hazelcast member, or on an in-process Redis backend against the run's redis-server
 * ({@link ClusterLatencyBenchmark}'s measurement either way).
 */
final class AdmissionCostScenario {
    private static final int MEMBERS = 1;

    private AdmissionCostScenario() {
    }

    /** @param redisUrl the server to measure Redis mode on, or null for Hazelcast */
    static void run(Rig rig, int depth, String redisUrl) throws Exception {
        ClusterLatencyBenchmark.Measurement m = redisUrl == null
                ? ClusterLatencyBenchmark.measure(MEMBERS, depth, rig.plan().admissionCycles(), Loopback.freePort())
                : onRedis(redisUrl, depth, rig.plan().admissionCycles());
        rig.report().row("admission_cost")
                .put("members", MEMBERS)
                .put("waiting", depth)
                .put("cycles", rig.plan().admissionCycles())
                .put("release_grant_p50_us", m.firstP50Nanos() / 1e3)
                .put("release_grant_p99_us", m.firstP99Nanos() / 1e3)
                .put("enqueue_p50_us", m.secondP50Nanos() / 1e3)
                .put("enqueue_p99_us", m.secondP99Nanos() / 1e3)
                .put("commands_per_s", m.callsPerSecond())
                .add();
    }

    private static ClusterLatencyBenchmark.Measurement onRedis(String url, int depth, int cycles) {
        Vertx vertx = Vertx.vertx();
        RedisSettings settings = new RedisSettings(List.of(URI.create(url)), false, Optional.empty(), Optional.empty(),
                "bench-" + UUID.randomUUID());
        Redis client = RedisConnections.client(vertx, settings);
        RedisBackend backend = new RedisBackend(vertx, client, settings.keyPrefix(),
                List.of(ClusterLatencyBenchmark.spec(depth)), null);
        try {
            return ClusterLatencyBenchmark.measure(backend, depth, cycles);
        } finally {
            backend.close();
            client.close();
            vertx.close();
        }
    }
}
