package dev.triage.benchmarks.load;

import java.util.List;

/** A closed loop on one node with no limits, at several connection counts, plain and streaming. */
final class ThroughputScenario {
    private static final List<Integer> CONNECTIONS = List.of(16, 64, 256);
    private static final int DIRECT_CONNECTIONS = 64;

    private ThroughputScenario() {
    }

    static void run(Rig rig, TriageNodes node) throws Exception {
        for (boolean stream : List.of(false, true)) {
            for (int connections : CONNECTIONS) {
                measure(rig, node.targets(NodeConfig.FREE).get(0), connections, stream);
            }
            measure(rig, rig.upstream().direct("/fast"), DIRECT_CONNECTIONS, stream);
        }
    }

    private static void measure(Rig rig, CallTarget target, int connections, boolean stream) throws Exception {
        LoadResult result = rig.load().closedLoop(target, connections, rig.plan().warmUp(), rig.plan().measured(),
                stream);
        rig.report().row("throughput")
                .put("target", target.name())
                .put("stream", stream)
                .put("connections", connections)
                .put("calls", result.answered())
                .put("req_per_s", result.perSecond())
                .put("p50_ms", result.percentileMillis(50))
                .put("p99_ms", result.percentileMillis(99))
                .put("non_2xx", result.non2xx())
                .put("no_status", result.failures())
                .put("unanswered", result.unanswered())
                .add();
    }
}
