package dev.triage.benchmarks;

import dev.triage.core.Deployment;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.Usage;
import dev.triage.core.memory.InMemoryBackend;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.StoreClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One admission cycle on the in-memory backend with a queue held at a fixed depth: release the slot (which
 * grants the head of the queue in the same command) and enqueue a newcomer at a random priority. Two store
 * commands per admitted ticket, as on the real admission path.
 *
 * <p>Run: {@code ./mvnw -B -q -pl benchmarks -am package -DskipTests && java -jar benchmarks/target/benchmarks.jar
 * InMemoryCycleBenchmark}; add {@code -prof gc} for the bytes allocated per cycle ({@code gc.alloc.rate.norm}) and
 * the GC time, which the memory of operation ids (kept a lease bound) drives.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms4g", "-Xmx4g"})
public class InMemoryCycleBenchmark {

    private static final String GROUP = "bench";
    private static final long FAR = Long.MAX_VALUE / 2;

    @Param({"1000", "100000"})
    public int waiting;

    private InMemoryBackend backend;
    private Lease held;
    private long sequence;
    private final SplittableRandom random = new SplittableRandom(42);

    @Setup(Level.Trial)
    public void fillQueue() {
        // A 1 s lease bound keeps remembered operation ids (kept for one bound) to about a second's worth.
        GroupSpec spec = GroupSpec.of(GROUP, Deployment.unlimited("d1").withMaxParallelRequests(1))
                .withMaxQueueSize(waiting + 10).withLeaseBound(1_000);
        backend = new InMemoryBackend(List.of(spec), StoreClock.system(), 1);
        held = enqueue().grants().get(0);
        for (int i = 0; i < waiting; i++) enqueue();
    }

    @TearDown(Level.Trial)
    public void close() {
        backend.close();
    }

    private Outcome enqueue() {
        long id = sequence++;
        return backend.execute(GROUP, new Command.Enqueue("t" + id, random.nextInt(10), "node", FAR, 0))
                .toCompletableFuture().join();
    }

    @Benchmark
    public Lease releaseGrantEnqueue() {
        Outcome released = backend.execute(GROUP, new Command.Release(held.id(), Usage.succeeded(0)))
                .toCompletableFuture().join();
        held = released.grants().get(0);
        enqueue();
        return held;
    }
}
