package dev.triage.core.rules;

import dev.triage.core.Deployment;
import dev.triage.core.GroupSpec;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.wire.WireFormat;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A group state through {@link GroupStateCodec} and back: the same state, behaving the same. */
class GroupStateCodecTest {

    private static final long T0 = 1_800_000_000_000L;
    private static final GroupSpec SPEC = GroupSpec.of("g",
                    Deployment.unlimited("d1").withRpm(20).withMaxParallelRequests(2).withTpm(5_000),
                    Deployment.unlimited("d2").withRpm(8).withMaxParallelRequests(3).withWeight(2),
                    Deployment.unlimited("d3").withMaxParallelRequests(1).withOrder(2))
            .withMaxQueueSize(25).withCooldown(1, 3_000).withLeaseBound(10_000);

    @Test
    void aStateAfterARandomHistoryDecodesToOneThatBehavesTheSame() throws IOException {
        for (long seed = 1; seed <= 12; seed++) {
            RandomCommands history = new RandomCommands(seed);
            GroupState original = new GroupState(SPEC, 7);
            int steps = 300 + history.random.nextInt(1_500);
            for (int i = 0; i < steps; i++) history.step(original);

            GroupState decoded = roundTrip(original);

            assertThat(decoded.snapshot()).as("seed %d", seed).isEqualTo(original.snapshot());
            assertThat(decoded.nodesLastSeen()).isEqualTo(original.nodesLastSeen());
            assertThat(decoded.rememberedCount()).isEqualTo(original.rememberedCount());
            assertThat(decoded.nextArrival()).isEqualTo(original.nextArrival());
            for (int i = 0; i < 400; i++) {
                Command command = history.next(original);
                long now = history.now;
                Outcome expected = GroupRules.execute(original, command, now);
                Outcome actual = GroupRules.execute(decoded, command, now);
                assertThat(actual).as("seed %d, step %d after decoding: %s", seed, i, command).isEqualTo(expected);
                history.track(original, expected);
                for (String node : RandomCommands.NODES) {
                    assertThat(decoded.waitingOf(node)).isEqualTo(original.waitingOf(node));
                    assertThat(decoded.leaseCountOf(node)).isEqualTo(original.leaseCountOf(node));
                }
            }
            assertThat(decoded.snapshot()).isEqualTo(original.snapshot());
            assertThat(history.duplicatesWithFirstRun).as("duplicates answered with their first run").isPositive();
        }
    }

    @Test
    void aStateInAnotherVersionIsRefused() throws IOException {
        byte[] bytes = encode(new GroupState(SPEC, 7)::writeTo);
        bytes[3] = 99; // the version int, big-endian
        assertThatThrownBy(() -> GroupState.readFrom(input(bytes)))
                .isInstanceOf(StreamCorruptedException.class)
                .hasMessage("group state in wire format version 99, this build reads version " + WireFormat.VERSION + " only");
    }

    @Test
    void aTruncatedStateIsRefusedAsTruncatedWhereverItWasCut() throws IOException {
        RandomCommands history = new RandomCommands(3);
        GroupState state = new GroupState(SPEC, 7);
        for (int i = 0; i < 60; i++) history.step(state);
        byte[] bytes = encode(state::writeTo);
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] prefix = Arrays.copyOf(bytes, cut);
            assertThatThrownBy(() -> GroupState.readFrom(input(prefix))).as("cut at %d of %d", cut, bytes.length)
                    .isInstanceOf(EOFException.class).hasMessageContaining("group state truncated");
        }
        assertThat(GroupState.readFrom(input(bytes)).snapshot()).isEqualTo(state.snapshot());
    }

    /**
     * Prints, not asserts, size and speed at 100,000 waiting tickets (and as many remembered operation ids).
     * Java serialization of the same state, measured before it was removed (10 rounds after 3 of warm-up, on
     * this 2-core machine while other builds ran): 12,111,880 bytes, encode median 1,394 ms (fastest 282 ms),
     * decode median 1,498 ms (fastest 155 ms).
     */
    @Test
    void aStateOfOneHundredThousandTicketsIsCompact() throws IOException {
        GroupState state = bigState(100_000);
        byte[] bytes = null;
        GroupState decoded = null;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            bytes = encode(state::writeTo);
            long t1 = System.nanoTime();
            decoded = GroupState.readFrom(input(bytes));
            long t2 = System.nanoTime();
            System.out.printf("wire format, 100,000 tickets, round %d: %,d bytes, encode %.1f ms, decode %.1f ms%n",
                    round, bytes.length, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        }
        System.out.println("java serialization (measured before its removal): 12,111,880 bytes, encode median"
                + " 1,394 ms (fastest 282 ms), decode median 1,498 ms (fastest 155 ms)");
        assertThat(decoded.snapshot()).isEqualTo(state.snapshot());
        assertThat(decoded.rememberedCount()).isEqualTo(state.rememberedCount());
    }

    /** Waiting tickets on three nodes, 100 of them leased, each enqueue's id remembered. */
    static GroupState bigState(int tickets) {
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

    private static GroupState roundTrip(GroupState state) throws IOException {
        DataInputStream in = input(encode(state::writeTo));
        GroupState decoded = GroupState.readFrom(in);
        assertThat(in.available()).as("bytes left after reading the state").isZero();
        return decoded;
    }

    private interface Encoding {
        void writeTo(DataOutputStream out) throws IOException;
    }

    private static byte[] encode(Encoding encoding) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        encoding.writeTo(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static DataInputStream input(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }
}
