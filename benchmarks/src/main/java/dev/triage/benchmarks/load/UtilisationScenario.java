package dev.triage.benchmarks.load;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Four slots of a 50 ms upstream and N calls sent at once, each on a connection of its own: how many of the
 * calls that could have been served within the queue timeout were, and how busy the slots were kept.
 */
final class UtilisationScenario {
    /** Descriptors beyond the calls' connections: the JVM's own files, the control calls, slack. */
    private static final long SPARE_FILES = 1_000;

    private UtilisationScenario() {
    }

    /** Whether this JVM may open enough connections for {@code calls} (see {@code ulimit -n}). */
    static boolean enoughFiles(int calls) {
        return !(ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix)
                || unix.getMaxFileDescriptorCount() >= calls + SPARE_FILES;
    }

    static void run(Rig rig, TriageNodes node, int calls) throws Exception {
        rig.upstream().reset();
        int timeoutSeconds = rig.plan().queueTimeoutSeconds();
        List<CallTag> tags = IntStream.range(0, calls).mapToObj(seq -> CallTag.of(seq, 0)).toList();
        LoadResult result = rig.load().burst(node.targets(NodeConfig.UTILISATION), tags)
                .await(Duration.ofSeconds(timeoutSeconds + 60L));
        List<UpstreamRecord> served = rig.upstream().records();
        long possible = Math.min(calls,
                (long) NodeConfig.UTILISATION_SLOTS * timeoutSeconds * 1000 / NodeConfig.UTILISATION_DELAY_MS);
        long first = served.stream().mapToLong(UpstreamRecord::arrivalNanos).min().orElse(0);
        long last = served.stream().filter(UpstreamRecord::ended).mapToLong(UpstreamRecord::endNanos).max().orElse(0);
        long busy = served.stream().filter(UpstreamRecord::ended).mapToLong(UpstreamRecord::busyNanos).sum();
        long ok = result.count("200");
        long rejected = result.count("429");
        rig.report().row("utilisation")
                .put("calls", calls)
                .put("served", ok)
                .put("r429", rejected)
                .put("other", result.answered() - ok - rejected)
                .put("unanswered", result.unanswered())
                .put("possible", possible)
                .put("served_of_possible", (double) ok / possible)
                .put("busy_fraction", last > first
                        ? busy / ((double) NodeConfig.UTILISATION_SLOTS * (last - first)) : Double.NaN)
                .put("span_s", (last - first) / 1e9)
                .put("upstream_calls", served.size())
                .put("outcomes", result.outcomes().toString())
                .add();
    }
}
