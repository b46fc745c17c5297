package dev.triage.benchmarks;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import dev.triage.config.ClusterSettings;
import dev.triage.core.Deployment;
import dev.triage.core.GroupSpec;
import dev.triage.core.rules.GroupRules;
import dev.triage.core.rules.GroupState;
import dev.triage.core.spi.Command;
import dev.triage.node.hazelcast.HazelcastMember;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;

/**
 * What a migration or a replica sync costs per group: size, encode and decode time of a whole group state
 * through the member's own serialization config (the wire format), at 1,000 and 100,000 waiting tickets. The
 * state also remembers each enqueue's operation id, as it does for one lease bound after a burst of arrivals.
 *
 * <p>Run: {@code ./mvnw -B -q -pl benchmarks -am package -DskipTests && java -Xmx4g -cp benchmarks/target/benchmarks.jar
 * dev.triage.benchmarks.WireFormatBenchmark} (optional argument: measured rounds, default 10).
 */
public final class WireFormatBenchmark {

    private static final long T0 = 1_800_000_000_000L;

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        ClusterSettings cluster = new ClusterSettings("bench", 25_701, List.of(), Optional.empty(),
                Duration.ofSeconds(15), OptionalInt.of(1));
        SerializationService serialization = new DefaultSerializationServiceBuilder()
                .setConfig(HazelcastMember.config(cluster, "bench").getSerializationConfig()).build();
        for (int tickets : new int[] {1_000, 100_000}) measure(serialization, state(tickets), tickets, rounds);
    }

    private static void measure(SerializationService serialization, GroupState state, int tickets, int rounds) {
        for (int i = 0; i < 3; i++) serialization.toObject(serialization.toData(state)); // warm-up
        long[] encode = new long[rounds];
        long[] decode = new long[rounds];
        int bytes = 0;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            Data data = serialization.toData(state);
            long t1 = System.nanoTime();
            GroupState decoded = serialization.toObject(data);
            long t2 = System.nanoTime();
            if (decoded.waitingCount() != state.waitingCount()) throw new AssertionError("decoded a different state");
            encode[i] = t1 - t0;
            decode[i] = t2 - t1;
            bytes = data.totalSize();
        }
        System.out.printf("%,d waiting tickets (+%d leases, %,d remembered ids): %,d bytes (%.1f per ticket),"
                        + " encode median %s min %s, decode median %s min %s%n",
                tickets, state.leases().size(), tickets + state.leases().size(), bytes, (double) bytes / tickets,
                millis(encode, true), millis(encode, false), millis(decode, true), millis(decode, false));
    }

    /** Waiting tickets on three nodes, 100 of them leased, each enqueue's id remembered. */
    private static GroupState state(int tickets) {
        GroupSpec spec = GroupSpec.of("bench", Deployment.unlimited("d1").withMaxParallelRequests(100))
                .withMaxQueueSize(tickets + 1_000);
        GroupState state = new GroupState(spec, 42);
        Random random = new Random(1);
        for (int i = 0; i < tickets + 100; i++) {
            GroupRules.execute(state, new Command.Enqueue("ticket-" + i, random.nextInt(10), "node-" + (i % 3),
                    T0 + 3_600_000, 100 + random.nextInt(500)), T0 + i / 1_000);
        }
        return state;
    }

    private static String millis(long[] nanos, boolean median) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("%.2f ms", (median ? sorted[sorted.length / 2] : sorted[0]) / 1e6);
    }
}
