package dev.triage.core.tck;

import dev.triage.core.EndReason;
import dev.triage.core.GroupSpec;
import dev.triage.core.spi.Notice;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.triage.core.tck.ContractHarness.granted;
import static dev.triage.core.tck.ContractHarness.slots;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Contract 7: a group holds at most max_queue_size waiting tickets. */
public interface SheddingContract extends SchedulerContract {

    private void startWithQueueOfThree() {
        harness().start(ContractHarness.group(slots("d1", 1)).withMaxQueueSize(3));
        granted(harness().enqueue("holder", 0));
    }

    @Test
    default void aFullQueueRefusesANewcomerOfEqualPriority() {
        startWithQueueOfThree();
        for (int i = 0; i < 3; i++) harness().enqueue("w" + i, 5);

        Outcome outcome = harness().enqueue("newcomer", 5);

        assertThat(outcome.result()).isEqualTo(new Result.Refused(Result.Refusal.QUEUE_FULL));
        assertThat(harness().snapshot().waiting()).extracting(t -> t.id()).containsExactly("w0", "w1", "w2");
    }

    @Test
    default void aNewcomerThatOutranksTheLastShedsItAndItsNodeIsTold() {
        startWithQueueOfThree();
        NoticeRecorder n2 = harness().notices("n2");
        harness().enqueue("n0", "a", 1);
        harness().enqueue("n2", "worst", 9);
        harness().enqueue("n1", "b", 2);

        Outcome outcome = harness().enqueue("urgent", 0);

        assertThat(outcome.result()).isInstanceOf(Result.Queued.class);
        assertThat(harness().snapshot().waiting()).extracting(t -> t.id()).containsExactly("urgent", "a", "b");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(n2.all()).containsExactly(new Notice.Ended("worst", EndReason.SHED)));
    }

    @Test
    default void amongEqualPrioritiesTheLatestArrivalIsShed() {
        startWithQueueOfThree();
        harness().enqueue("first", 4);
        harness().enqueue("second", 4);
        harness().enqueue("third", 4);

        harness().enqueue("urgent", 3);

        assertThat(harness().snapshot().waiting()).extracting(t -> t.id()).containsExactly("urgent", "first", "second");
    }

    @Test
    default void theQueueBoundCountsWaitingTicketsNotLeases() {
        harness().start(GroupSpec.of(ContractHarness.GROUP, slots("d1", 5)).withMaxQueueSize(1));
        for (int i = 0; i < 5; i++) granted(harness().enqueue("g" + i, 0));

        assertThat(harness().enqueue("w", 0).result()).isInstanceOf(Result.Queued.class);
        assertThat(harness().enqueue("x", 0).result()).isEqualTo(new Result.Refused(Result.Refusal.QUEUE_FULL));
    }
}
