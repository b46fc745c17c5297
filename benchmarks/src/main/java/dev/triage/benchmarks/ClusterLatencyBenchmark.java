package dev.triage.benchmarks;

import com.hazelcast.core.HazelcastInstance;
import dev.triage.config.ClusterSettings;
import dev.triage.core.Deployment;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.Usage;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import dev.triage.core.spi.SchedulerBackend;
import dev.triage.node.hazelcast.HazelcastBackend;
import dev.triage.node.hazelcast.HazelcastMember;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Entry-processor latency of the admission path on real Hazelcast members on loopback: enqueue (granted in
 * the same call when a slot is free) and release, sent from the last member (a remote call when there are
 * several); or, with waiting tickets, release (granting the head) and enqueue with the queue held at that
 * depth. Prints p50, p99 and calls per second.
 *
 * <p>Run: {@code ./mvnw -B -q -pl benchmarks -am package -DskipTests && java --add-opens java.base/java.lang=ALL-UNNAMED
 * -cp benchmarks/target/benchmarks.jar dev.triage.benchmarks.ClusterLatencyBenchmark 3 1000 20000}
 * (arguments: members, waiting tickets, measured cycles).
 */
public final class ClusterLatencyBenchmark {

    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    public static void main(String[] args) {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int waiting = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int cycles = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        Measurement measurement = measure(members, waiting, cycles, 25_701);
        System.out.printf("members=%d waiting=%d cycles=%d: %s p50 %s p99 %s | %s p50 %s p99 %s | %.0f calls/s%n",
                members, waiting, cycles, measurement.first(), micros(measurement.firstP50Nanos()),
                micros(measurement.firstP99Nanos()), measurement.second(), micros(measurement.secondP50Nanos()),
                micros(measurement.secondP99Nanos()), measurement.callsPerSecond());
    }

    /**
     * The latencies of one cycle's two commands, in nanoseconds: with waiting tickets, {@code first} is the
     * release that grants the head and {@code second} the enqueue; with none, the enqueue granted in its own
     * call and then its release.
     */
    public record Measurement(String first, long firstP50Nanos, long firstP99Nanos,
                              String second, long secondP50Nanos, long secondP99Nanos, double callsPerSecond) {
    }

    /** Starts {@code members} members on loopback from {@code firstPort} up, measures, and shuts them down. */
    public static Measurement measure(int members, int waiting, int cycles, int firstPort) {
        HAZELCAST_LOG.setLevel(Level.WARNING);
        List<HazelcastInstance> instances = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < members; i++) addresses.add("127.0.0.1:" + (firstPort + i));
        for (int i = 0; i < members; i++) {
            instances.add(HazelcastMember.start(new ClusterSettings("bench", firstPort + i, addresses, Optional.empty(),
                    Duration.ofSeconds(15), OptionalInt.of(1)), "bench-" + i));
        }
        SchedulerBackend backend = new HazelcastBackend(instances.get(members - 1), List.of(spec(waiting)));
        try {
            return measure(backend, waiting, cycles);
        } finally {
            backend.close();
            instances.forEach(HazelcastInstance::shutdown);
        }
    }

    /** The one group measured: one slot, room for {@code waiting} tickets. */
    public static GroupSpec spec(int waiting) {
        return GroupSpec.of("bench", Deployment.unlimited("d1").withMaxParallelRequests(1))
                .withMaxQueueSize(waiting + 10).withLeaseBound(15_000);
    }

    /** Measures on a backend serving {@link #spec}: any backend, the caller closes it. */
    public static Measurement measure(SchedulerBackend backend, int waiting, int cycles) {
        long far = backend.now() + TimeUnit.DAYS.toMillis(1);
        if (waiting == 0) {
            // A free slot: the enqueue is granted in its own call, then released.
            return measure("enqueue+grant", "release", cycles,
                    i -> run(backend, new Command.Enqueue("f" + i, 0, "bench", far, 0)),
                    granted -> run(backend, new Command.Release(granted.grants().get(0).id(), Usage.succeeded(0))));
        }
        // A queue held at a fixed depth: each release grants the head, each enqueue joins the queue.
        Lease[] held = {((Result.Granted) run(backend, new Command.Enqueue("held", 0, "bench", far, 0))
                .result()).lease()};
        fill(backend, waiting, far);
        return measure("release+grant", "enqueue", cycles, i -> {
            Outcome released = run(backend, new Command.Release(held[0].id(), Usage.succeeded(0)));
            held[0] = released.grants().get(0);
            return released;
        }, released -> run(backend, new Command.Enqueue("n" + held[0].id(), 1 + (held[0].arrival() % 9),
                "bench", far, 0)));
    }

    /** Enqueues the waiting tickets a batch at a time (one by one, 100,000 of them took about a minute). */
    private static void fill(SchedulerBackend backend, int waiting, long far) {
        int batch = 256;
        for (int from = 0; from < waiting; from += batch) {
            List<CompletableFuture<Outcome>> sent = new ArrayList<>();
            for (int i = from; i < Math.min(waiting, from + batch); i++) {
                sent.add(backend.execute("bench", new Command.Enqueue("w" + i, 1 + i % 9, "bench", far, 0))
                        .toCompletableFuture());
            }
            sent.forEach(CompletableFuture::join);
        }
    }

    private interface Step {
        Outcome apply(int i);
    }

    private interface Then {
        Outcome apply(Outcome previous);
    }

    private static Measurement measure(String first, String second, int cycles, Step step, Then then) {
        for (int i = 0; i < Math.min(cycles, 5_000); i++) then.apply(step.apply(-i - 1)); // warm-up
        long[] a = new long[cycles];
        long[] b = new long[cycles];
        long start = System.nanoTime();
        for (int i = 0; i < cycles; i++) {
            long t0 = System.nanoTime();
            Outcome outcome = step.apply(i);
            long t1 = System.nanoTime();
            then.apply(outcome);
            long t2 = System.nanoTime();
            a[i] = t1 - t0;
            b[i] = t2 - t1;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Measurement(first, percentile(a, 50), percentile(a, 99), second, percentile(b, 50),
                percentile(b, 99), 2 * cycles / seconds);
    }

    private static long percentile(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)];
    }

    private static String micros(long nanos) {
        return String.format("%.0f us", nanos / 1e3);
    }

    private static Outcome run(SchedulerBackend backend, Command command) {
        return backend.execute("bench", command).toCompletableFuture().join();
    }
}
