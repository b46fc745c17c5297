package dev.triage.benchmarks.load;

/** One connection, one call at a time, no limits: what a node adds to a call, at p50 and p99. */
final class OverheadScenario {
    private OverheadScenario() {
    }

    static void run(Rig rig, TriageNodes node) throws Exception {
        Plan plan = rig.plan();
        LoadResult direct = rig.load().closedLoop(rig.upstream().direct("/fast"), 1, plan.overheadWarmUp(),
                plan.overheadMeasured(), false);
        // A node just started runs its path interpreted at first: train the JIT with concurrent calls, then measure.
        rig.load().closedLoop(node.targets(NodeConfig.FREE).get(0), 16, plan.warmUp(), plan.warmUp(), false);
        LoadResult through = rig.load().closedLoop(node.targets(NodeConfig.FREE).get(0), 1, plan.overheadWarmUp(),
                plan.overheadMeasured(), false);
        rig.report().row("overhead")
                .put("direct_calls", direct.answered())
                .put("direct_p50_us", micros(direct, 50))
                .put("direct_p99_us", micros(direct, 99))
                .put("node_calls", through.answered())
                .put("node_p50_us", micros(through, 50))
                .put("node_p99_us", micros(through, 99))
                .put("added_p50_us", micros(through, 50) - micros(direct, 50))
                .put("added_p99_us", micros(through, 99) - micros(direct, 99))
                .put("not_ok", direct.answered() - direct.count("200") + through.answered() - through.count("200"))
                .add();
    }

    private static double micros(LoadResult result, double percentile) {
        return result.percentileMillis(percentile) * 1e3;
    }
}
