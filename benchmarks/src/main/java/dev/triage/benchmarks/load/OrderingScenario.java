package dev.triage.benchmarks.load;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * One slot of a 20 ms upstream held by a blocker call while 200 calls of random priorities 0..9 queue behind
 * it; once the blocker is released, the upstream's arrival order is the admission order, and any pair admitted
 * lower priority first is an inversion (there must be none).
 */
final class OrderingScenario {
    private static final int CALLS = 200;
    private static final int BANDS = 10;
    private static final Duration QUEUEING = Duration.ofSeconds(1);

    private OrderingScenario() {
    }

    static void run(Rig rig, TriageNodes nodes) throws Exception {
        rig.upstream().reset();
        List<CallTarget> targets = nodes.targets(NodeConfig.ORDERING);
        Duration answerTimeout = Duration.ofSeconds(rig.plan().queueTimeoutSeconds() + 60L);
        LoadGenerator.Burst blocker = rig.load().burst(targets.subList(0, 1), List.of(new CallTag(-1, 0, true)));
        LoadGenerator.Burst queued;
        try {
            awaitHeldCall(rig.upstream());
            Random random = new Random(42);
            List<CallTag> tags = new ArrayList<>();
            for (int seq = 0; seq < CALLS; seq++) tags.add(CallTag.of(seq, random.nextInt(BANDS)));
            queued = rig.load().burst(targets, tags);
            Thread.sleep(QUEUEING.toMillis());
        } finally {
            rig.upstream().release();
        }
        LoadResult blocked = blocker.await(answerTimeout);
        LoadResult result = queued.await(answerTimeout);

        List<UpstreamRecord> records = rig.upstream().records();
        long released = records.stream().filter(call -> call.tag() != null && call.tag().hold())
                .mapToLong(UpstreamRecord::endNanos).findFirst().orElseThrow();
        List<UpstreamRecord> admitted = new ArrayList<>(records.stream()
                .filter(call -> call.tag() != null && !call.tag().hold()).toList());
        admitted.sort(Comparator.comparingLong(UpstreamRecord::arrivalNanos));
        List<UpstreamRecord> together = admitted.stream()
                .filter(call -> queuedBeforeRelease(call, result.answers().get(call.tag().seq()), released)).toList();
        rig.report().row("ordering")
                .put("nodes", nodes.size())
                .put("calls", CALLS)
                .put("ok", result.count("200"))
                .put("not_ok", result.answered() - result.count("200"))
                .put("unanswered", result.unanswered())
                .put("blocker", String.join(",", blocked.outcomes().keySet()))
                .put("upstream_calls", admitted.size())
                .put("queued_together", together.size())
                .put("inversions", inversions(together))
                .add();
        for (int band = 0; band < BANDS; band++) {
            Histogram waits = new Histogram(3);
            int priority = band;
            result.answers().stream().filter(Objects::nonNull)
                    .filter(answer -> answer.tag().priority() == priority && answer.queueWaitMs() >= 0)
                    .forEach(answer -> waits.recordValue(answer.queueWaitMs()));
            rig.report().row("ordering_wait")
                    .put("nodes", nodes.size())
                    .put("priority", band)
                    .put("calls", waits.getTotalCount())
                    .put("mean_wait_ms", waits.getTotalCount() == 0 ? Double.NaN : waits.getMean())
                    .put("p50_wait_ms", waits.getTotalCount() == 0 ? Double.NaN
                            : (double) waits.getValueAtPercentile(50))
                    .add();
        }
    }

    /** Waits until the blocker is at the upstream, so that it holds the slot before anything else queues. */
    private static void awaitHeldCall(UpstreamProcess upstream) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (upstream.records().stream().noneMatch(call -> call.tag() != null && call.tag().hold())) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("the blocker never reached the upstream");
            Thread.sleep(5);
        }
    }

    /**
     * Whether the call was already waiting when the blocker was released: it waited at least as long as the
     * upstream's time from the release to its arrival (durations from two clocks, compared, never mixed).
     */
    private static boolean queuedBeforeRelease(UpstreamRecord call, Answer answer, long releasedNanos) {
        return answer != null && answer.queueWaitMs() >= (call.arrivalNanos() - releasedNanos) / 1_000_000;
    }

    /** Pairs admitted in the wrong order: a higher priority number before a lower one. */
    private static long inversions(List<UpstreamRecord> admitted) {
        long inversions = 0;
        for (int i = 0; i < admitted.size(); i++) {
            for (int j = i + 1; j < admitted.size(); j++) {
                if (admitted.get(i).tag().priority() > admitted.get(j).tag().priority()) inversions++;
            }
        }
        return inversions;
    }
}
