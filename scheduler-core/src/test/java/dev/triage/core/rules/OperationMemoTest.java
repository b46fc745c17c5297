package dev.triage.core.rules;

import dev.triage.core.EndReason;
import dev.triage.core.Lease;
import dev.triage.core.spi.Result;
import dev.triage.core.wire.WireFormat;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The compact memo against the maps and forget queue it replaced, on random operations. */
class OperationMemoTest {

    private static final long BOUND = 1_000;

    /** The memory as GroupState kept it before: maps of records and a queue of forget entries. */
    private static final class MapMemo {
        record Forget(String key, boolean isEnd, long at) {
        }

        final Map<String, Result> results = new HashMap<>();
        final Map<String, Long> resultForgetAt = new HashMap<>();
        final Map<String, EndReason> ends = new HashMap<>();
        final Map<String, Long> endForgetAt = new HashMap<>();
        final ArrayDeque<Forget> queue = new ArrayDeque<>();

        void remember(String key, Result result, long at) {
            results.put(key, result);
            resultForgetAt.put(key, at);
            queue.add(new Forget(key, false, at));
        }

        void keep(String key, long at) {
            if (!results.containsKey(key)) return;
            resultForgetAt.put(key, at);
            queue.add(new Forget(key, false, at));
        }

        void ended(String key, EndReason reason, long at) {
            ends.put(key, reason);
            endForgetAt.put(key, at);
            queue.add(new Forget(key, true, at));
        }

        void forgetDue(long now, Set<String> live) {
            while (!queue.isEmpty() && queue.peekFirst().at() <= now) {
                Forget f = queue.pollFirst();
                Map<String, Long> at = f.isEnd() ? endForgetAt : resultForgetAt;
                if (!Long.valueOf(f.at()).equals(at.get(f.key()))) continue;
                if (!f.isEnd() && live.contains(f.key())) {
                    keep(f.key(), now + BOUND);
                } else {
                    at.remove(f.key());
                    (f.isEnd() ? ends : results).remove(f.key());
                }
            }
        }
    }

    @Test
    void answersAndForgetsAsTheMapsDid() throws IOException {
        Lease lease = new Lease("k@1", "k", "n", "d", 0, 1, 0, 0, 0);
        List<Result> results = List.of(new Result.Queued(7), new Result.Granted(lease), new Result.Released(true),
                new Result.Refused(Result.Refusal.QUEUE_FULL), new Result.Cancelled(Result.CancelEffect.UNKNOWN),
                new Result.Reconciled(List.of(), 1, 2));
        for (long seed = 1; seed <= 10; seed++) {
            Random random = new Random(seed);
            OperationMemo memo = new OperationMemo();
            MapMemo expected = new MapMemo();
            Set<String> live = new HashSet<>();
            String[] keys = new String[300 + random.nextInt(3_000)];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = switch (random.nextInt(6)) {
                    case 0 -> "release:t" + i + "@" + random.nextInt(1_000_000);
                    case 1 -> "日本-" + i;
                    case 2 -> "ü" + "x".repeat(random.nextInt(300)) + i;
                    default -> "t" + i;
                };
            }
            long now = 0;
            for (int step = 0; step < 20_000; step++) {
                String key = keys[random.nextInt(keys.length)];
                now += random.nextInt(3);
                switch (random.nextInt(7)) {
                    case 0, 1 -> {
                        Result result = results.get(random.nextInt(results.size()));
                        memo.remember(key, result, now + BOUND, live.contains(key));
                        expected.remember(key, result, now + BOUND);
                    }
                    case 2 -> {
                        boolean isLive = random.nextBoolean();
                        if (isLive) live.add(key);
                        else live.remove(key);
                        memo.keep(key, now + BOUND, isLive);
                        expected.keep(key, now + BOUND);
                    }
                    case 3 -> {
                        memo.ended(key, EndReason.SHED, now + BOUND);
                        expected.ended(key, EndReason.SHED, now + BOUND);
                    }
                    case 4 -> {
                        memo.forgetEnd(key);
                        expected.ends.remove(key);
                        expected.endForgetAt.remove(key);
                    }
                    case 5 -> {
                        boolean isLive = random.nextBoolean();
                        if (isLive) live.add(key);
                        else live.remove(key);
                        memo.ticketLive(key, isLive);
                    }
                    default -> {
                        memo.forgetDue(now, BOUND);
                        expected.forgetDue(now, live);
                    }
                }
                if (step % 5_000 == 4_999) memo = roundTrip(memo, live);
                assertThat(memo.result(key)).as("seed %d step %d %s", seed, step, key).isEqualTo(expected.results.get(key));
                assertThat(memo.end(key)).isEqualTo(expected.ends.get(key));
                assertThat(memo.size()).isEqualTo(expected.results.size() + expected.ends.size());
            }
            for (String key : keys) {
                assertThat(memo.result(key)).isEqualTo(expected.results.get(key));
                assertThat(memo.end(key)).isEqualTo(expected.ends.get(key));
            }
        }
    }

    @Test
    void refusesAnEntryTheForgetQueueDoesNotPlaceOnce() throws IOException {
        assertThat(readError(0)).hasMessage("entry 1 is not in the forget queue");
        assertThat(readError(1, 1)).hasMessage("entry 1 is in the forget queue twice");
    }

    /** What reading one remembered operation with these forget queue entries (numbers) throws. */
    private static Throwable readError(int... queue) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        WireFormat.writeCount(out, 1);
        out.writeByte(1);
        WireFormat.writeString(out, "t1");
        WireFormat.writeResult(out, new Result.Queued(3));
        WireFormat.writeCount(out, queue.length);
        for (int number : queue) {
            WireFormat.writeVarLong(out, 5);
            WireFormat.writeCount(out, number);
        }
        try {
            new OperationMemo().readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), id -> false);
        } catch (StreamCorruptedException refused) {
            return refused;
        }
        throw new AssertionError("read without complaint");
    }

    private static OperationMemo roundTrip(OperationMemo memo, Set<String> live) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        memo.writeTo(new DataOutputStream(bytes));
        OperationMemo decoded = new OperationMemo();
        decoded.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), live::contains);
        return decoded;
    }
}
