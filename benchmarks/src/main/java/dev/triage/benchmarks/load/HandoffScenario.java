package dev.triage.benchmarks.load;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One slot of a 100 ms upstream and 30 calls sent at once: the handoff is the time from the upstream's end of
 * one call to its arrival of the next, so it holds the release, the grant and the forwarding of the next call.
 * It is measured on warm nodes: a gateway in service runs its queued path all day, so that path is compiled; a
 * node just started runs it interpreted, several times slower.
 */
final class HandoffScenario {
    private static final int CALLS = 30;
    private static final int MOST_WARM_UP_ROUNDS = 12;

    private HandoffScenario() {
    }

    static void run(Rig rig, TriageNodes nodes) throws Exception {
        for (CallTarget target : nodes.targets(NodeConfig.QUEUED)) warmUntilSteady(rig, target);
        rig.upstream().reset();
        List<CallTag> tags = IntStream.range(0, CALLS).mapToObj(seq -> CallTag.of(seq, 0)).toList();
        LoadResult result = rig.load().burst(nodes.targets(NodeConfig.HANDOFF), tags)
                .await(Duration.ofSeconds(rig.plan().queueTimeoutSeconds() + 60L));
        List<UpstreamRecord> calls = new ArrayList<>(rig.upstream().records());
        calls.sort(Comparator.comparingLong(UpstreamRecord::arrivalNanos));
        Histogram handoffs = new Histogram(3);
        int overlaps = 0; // a call arriving before the previous one ended: the one slot was exceeded
        for (int k = 0; k + 1 < calls.size(); k++) {
            long gap = calls.get(k + 1).arrivalNanos() - calls.get(k).endNanos();
            if (gap < 0) overlaps++;
            handoffs.recordValue(Math.max(0, gap / 1000));
        }
        rig.report().row("handoff")
                .put("nodes", nodes.size())
                .put("calls", CALLS)
                .put("ok", result.count("200"))
                .put("unanswered", result.unanswered())
                .put("upstream_calls", calls.size())
                .put("handoff_p50_ms", handoffs.getValueAtPercentile(50) / 1e3)
                .put("handoff_p90_ms", handoffs.getValueAtPercentile(90) / 1e3)
                .put("handoff_max_ms", handoffs.getMaxValue() / 1e3)
                .put("overlaps", overlaps)
                .add();
    }

    /**
     * Queued calls through one node, round after round, until two rounds in a row admit no more than 10% more
     * calls than the one before: the JIT has compiled what it will (here that takes 15 to 30 s of traffic).
     */
    private static void warmUntilSteady(Rig rig, CallTarget target) throws InterruptedException {
        long previous = 0;
        int steady = 0;
        for (int round = 0; round < MOST_WARM_UP_ROUNDS && steady < 2; round++) {
            long answered = rig.load().closedLoop(target, 16, Duration.ZERO, rig.plan().warmUp(), false).answered();
            steady = round > 0 && answered < previous * 1.1 ? steady + 1 : 0;
            previous = Math.max(previous, answered);
            LoadDriver.progress("warm-up of the queued path: " + answered + " calls");
        }
    }
}
