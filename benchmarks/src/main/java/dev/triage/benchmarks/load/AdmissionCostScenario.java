package dev.triage.benchmarks.load;

import dev.triage.benchmarks.ClusterLatencyBenchmark;

/**
 * A release that grants the head, then an enqueue, on a real in-process Hazelcast member with the queue held at
 * each depth: {@link ClusterLatencyBenchmark}'s measurement.
 */
final class AdmissionCostScenario {
    private static final int MEMBERS = 1;

    private AdmissionCostScenario() {
    }

    static void run(Rig rig, int depth) {
        ClusterLatencyBenchmark.Measurement m = ClusterLatencyBenchmark.measure(MEMBERS, depth,
                rig.plan().admissionCycles(), Loopback.freePort());
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
}
