package dev.triage.core.tck;

import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.Usage;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import org.junit.jupiter.api.Test;

import static dev.triage.core.tck.ContractHarness.granted;
import static dev.triage.core.tck.ContractHarness.grantedTickets;
import static dev.triage.core.tck.ContractHarness.slots;
import static org.assertj.core.api.Assertions.assertThat;

/** LiteLLM's allowed_fails / cooldown_time: a failing deployment is left out for a while. */
public interface CooldownContract extends SchedulerContract {

    /** One deployment with one slot; two failures allowed per window, 5 s cooldown. */
    private void startSingleDeployment() {
        harness().start(ContractHarness.group(slots("d1", 1)).withCooldown(2, 5_000));
    }

    private void failOnce(String ticketId, Usage usage) {
        Lease lease = granted(harness().enqueue(ticketId, 0));
        harness().release(lease.id(), usage);
    }

    @Test
    default void failuresUpToAllowedFailsKeepTheDeploymentInUse() {
        startSingleDeployment();
        failOnce("f1", Usage.failed());
        failOnce("f2", Usage.failed());

        assertThat(harness().enqueue("next", 0).result()).isInstanceOf(Result.Granted.class);
    }

    @Test
    default void oneFailureBeyondAllowedFailsCoolsTheDeploymentDown() {
        startSingleDeployment();
        failOnce("f1", Usage.failed());
        failOnce("f2", Usage.failed());
        failOnce("f3", Usage.failed());

        Outcome outcome = harness().enqueue("next", 0);

        assertThat(outcome.result()).isInstanceOf(Result.Queued.class);
        assertThat(harness().snapshot().load("d1").cooldownUntil()).isEqualTo(FakeClock.START + 5_000);
        assertThat(outcome.nextEventAt()).isEqualTo(FakeClock.START + 5_000);
    }

    @Test
    default void grantsResumeWhenTheCooldownEnds() {
        startSingleDeployment();
        for (int i = 0; i < 3; i++) failOnce("f" + i, Usage.failed());
        harness().enqueue("next", 0);

        harness().clock().advance(4_999);
        assertThat(harness().tick().grants()).isEmpty();
        harness().clock().advance(1);
        assertThat(grantedTickets(harness().tick())).containsExactly("next");
    }

    @Test
    default void aRateLimitedAnswerCoolsDownAtOnceForItsRetryAfter() {
        startSingleDeployment();
        failOnce("limited", Usage.rateLimited(20_000));

        assertThat(harness().enqueue("next", 0).result()).isInstanceOf(Result.Queued.class);
        assertThat(harness().snapshot().load("d1").cooldownUntil()).isEqualTo(FakeClock.START + 20_000);
    }

    @Test
    default void aRateLimitedAnswerWithoutRetryAfterUsesTheGroupCooldown() {
        startSingleDeployment();
        failOnce("limited", Usage.rateLimited(0));

        assertThat(harness().snapshot().load("d1").cooldownUntil()).isEqualTo(FakeClock.START + 5_000);
    }

    @Test
    default void aCoolingDeploymentIsSkippedForAHealthyOne() {
        harness().start(ContractHarness.group(slots("d1", 5), slots("d2", 5).withOrder(2)).withCooldown(0, 5_000));
        Lease first = granted(harness().enqueue("first", 0));
        assertThat(first.deploymentId()).isEqualTo("d1");
        harness().release(first.id(), Usage.failed());

        assertThat(granted(harness().enqueue("second", 0)).deploymentId()).isEqualTo("d2");
    }

    @Test
    default void failuresAreCountedPerWindow() {
        startSingleDeployment();
        failOnce("f1", Usage.failed());
        failOnce("f2", Usage.failed());
        harness().clock().advance(60_000);
        failOnce("f3", Usage.failed());

        assertThat(harness().enqueue("next", 0).result()).isInstanceOf(Result.Granted.class);
        assertThat(harness().snapshot().load("d1").failures()).isEqualTo(1);
    }

    @Test
    default void successesDoNotCountAsFailures() {
        harness().start(GroupSpec.of(ContractHarness.GROUP, slots("d1", 1)).withCooldown(0, 5_000));
        failOnce("ok", Usage.succeeded(10));

        assertThat(harness().snapshot().load("d1").failures()).isZero();
        assertThat(harness().enqueue("next", 0).result()).isInstanceOf(Result.Granted.class);
    }
}
