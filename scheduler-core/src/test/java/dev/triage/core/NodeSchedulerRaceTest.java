package dev.triage.core;

import dev.triage.core.memory.InMemoryBackend;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Notice;
import dev.triage.core.spi.NoticeListener;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.StoreClock;
import dev.triage.core.tck.ForwardingBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A grant repeated while its call's release is under way (a reconcile's answer, a notice sent twice) must not
 * become a release of its own: sent as not dispatched, it could reach the store first and refund the rpm unit
 * and token reservation of a call that was sent.
 */
class NodeSchedulerRaceTest {

    private static final String GROUP = "g";
    private static final int ROUNDS = 40_000;

    private final InMemoryBackend store = new InMemoryBackend(
            List.of(GroupSpec.of(GROUP, Deployment.unlimited("d1"))), StoreClock.system());
    private final Recording recording = new Recording();
    private final NodeScheduler node = new NodeScheduler(recording, "n0", 1_000, 1_000, null);

    @AfterEach
    void close() {
        node.close();
        store.close();
    }

    @Test
    void aGrantRepeatedDuringItsReleaseIsIgnored() throws Exception {
        // Two threads released together each round by a spin on the round number, so they meet within nanoseconds.
        AtomicReference<Admission> current = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger round = new java.util.concurrent.atomic.AtomicInteger(-1);
        java.util.concurrent.atomic.AtomicInteger repeated = new java.util.concurrent.atomic.AtomicInteger(-1);
        Thread repeater = new Thread(() -> {
            for (int r = 0; r < ROUNDS; r++) {
                while (round.get() < r) Thread.onSpinWait();
                recording.listener.get().onNotices(GROUP, List.of(new Notice.Granted(current.get().lease())));
                repeated.set(r);
            }
        }, "repeater");
        repeater.setDaemon(true);
        repeater.start();
        for (int r = 0; r < ROUNDS; r++) {
            Admission admission = node.acquire(GROUP, 0, 0, System.currentTimeMillis() + 60_000)
                    .get(10, TimeUnit.SECONDS);
            current.set(admission);
            round.set(r);
            node.release(admission, Usage.succeeded(5)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            while (repeated.get() < r) Thread.onSpinWait();
        }

        assertThat(recording.releases).as("leases released").hasSize(ROUNDS);
        assertThat(recording.releases.entrySet().stream()
                .filter(release -> release.getValue().completion() != Usage.Completion.SUCCEEDED).toList())
                .as("leases of sent calls released as anything but succeeded").isEmpty();
    }

    /** The store, recording every release the node sends (a repeated one under the same lease replaces it). */
    private final class Recording extends ForwardingBackend {
        final AtomicReference<NoticeListener> listener = new AtomicReference<>();
        final Map<String, Usage> releases = new ConcurrentHashMap<>();

        Recording() {
            super(store);
        }

        @Override
        public AutoCloseable subscribe(String nodeId, NoticeListener listener) {
            this.listener.set(listener);
            return inner.subscribe(nodeId, listener);
        }

        @Override
        public CompletionStage<Outcome> execute(String group, Command command) {
            if (command instanceof Command.Release r) {
                releases.merge(r.leaseId(), r.usage(),
                        (first, second) -> first.completion() == Usage.Completion.NOT_DISPATCHED ? first : second);
            }
            return inner.execute(group, command);
        }
    }
}
