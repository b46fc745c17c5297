package dev.triage.core.tck;

import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.Usage;
import dev.triage.core.rules.Change;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.triage.core.tck.ContractHarness.granted;
import static dev.triage.core.tck.ContractHarness.grantedTickets;
import static dev.triage.core.tck.ContractHarness.group;
import static dev.triage.core.tck.ContractHarness.slots;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract 11: a group's settings are an input of every command. The group adopts those of a newer config
 * (a recorded change) and never an older one's; held leases stay valid under lowered limits, as debt.
 */
public interface SpecChangeContract extends SchedulerContract {

    private void serve(GroupSpec spec) {
        harness().member(0).serve(List.of(spec));
    }

    private static boolean adopted(Outcome outcome) {
        return outcome.changes().stream().anyMatch(change -> change instanceof Change.SpecAdopted);
    }

    @Test
    default void aRaisedLimitGrantsTheWaitingTicketsItMakesRoomFor() {
        harness().start(group(slots("d1", 1)).loadedAt(1_000));
        granted(harness().enqueue("holder", 0));
        harness().enqueue("first", 0);
        harness().enqueue("second", 0);
        serve(group(slots("d1", 2)).loadedAt(2_000));

        Outcome tick = harness().tick();

        assertThat(adopted(tick)).isTrue();
        assertThat(grantedTickets(tick)).containsExactly("first");
        assertThat(harness().snapshot().load("d1").inFlight()).isEqualTo(2);
        assertThat(harness().snapshot().waiting()).extracting(t -> t.id()).containsExactly("second");
    }

    @Test
    default void aLoweredLimitKeepsTheLeasesHeldAndGrantsNothingUntilUsageIsBackUnderIt() {
        harness().start(group(slots("d1", 3)).loadedAt(1_000));
        Lease a = granted(harness().enqueue("a", 0));
        Lease b = granted(harness().enqueue("b", 0));
        Lease c = granted(harness().enqueue("c", 0));
        harness().enqueue("waiter", 0);
        serve(group(slots("d1", 1)).loadedAt(2_000));

        assertThat(grantedTickets(harness().tick())).isEmpty();
        assertThat(harness().snapshot().leases()).hasSize(3);
        assertThat(grantedTickets(harness().release(a.id()))).as("2 held, limit 1").isEmpty();
        assertThat(grantedTickets(harness().release(b.id()))).as("1 held, limit 1").isEmpty();
        assertThat(grantedTickets(harness().release(c.id()))).containsExactly("waiter");
    }

    @Test
    default void aRemovedDeploymentsLeasesEndNormallyAndItIsGrantedNoMore() {
        harness().start(group(slots("d1", 1), slots("d2", 1)).loadedAt(1_000));
        Lease first = granted(harness().enqueue("first", 0));
        Lease second = granted(harness().enqueue("second", 0));
        Lease onD2 = first.deploymentId().equals("d2") ? first : second;
        Lease onD1 = onD2 == first ? second : first;
        harness().enqueue("waiter", 0);
        serve(group(slots("d1", 1)).loadedAt(2_000));

        Outcome released = harness().release(onD2.id());

        assertThat(released.result()).isEqualTo(new Result.Released(true));
        assertThat(grantedTickets(released)).as("d2 is gone and d1 is busy").isEmpty();
        assertThat(harness().snapshot().loads()).extracting(load -> load.deploymentId()).containsExactly("d1");
        Outcome freed = harness().release(onD1.id());
        assertThat(grantedTickets(freed)).containsExactly("waiter");
        assertThat(freed.grants().get(0).deploymentId()).isEqualTo("d1");
    }

    @Test
    default void anOlderConfigsSettingsAreNotAdoptedAndItsCallerIsTold() {
        harness().start(group(slots("d1", 1)).loadedAt(2_000));
        granted(harness().enqueue("holder", 0));
        harness().enqueue("waiter", 0);
        serve(group(slots("d1", 5)).loadedAt(1_000));

        Outcome tick = harness().tick();

        assertThat(adopted(tick)).isFalse();
        assertThat(tick.callerBehind()).isTrue();
        assertThat(grantedTickets(tick)).isEmpty();
        assertThat(harness().snapshot().load("d1").inFlight()).isEqualTo(1);
    }

    @Test
    default void theSameSettingsLoadedLaterChangeNothing() {
        harness().start(group(slots("d1", 1)).loadedAt(1_000));
        granted(harness().enqueue("holder", 0));
        serve(group(slots("d1", 1)).loadedAt(5_000));

        Outcome tick = harness().tick();

        assertThat(adopted(tick)).isFalse();
        assertThat(tick.callerBehind()).isFalse();
    }

    @Test
    default void aGroupAddedToTheConfigIsServedWithoutARestart() {
        harness().start(group(slots("d1", 1)).loadedAt(1_000));
        GroupSpec added = GroupSpec.of("added", slots("e1", 1)).withLeaseBound(ContractHarness.LONG_LEASE_BOUND)
                .loadedAt(2_000);
        harness().member(0).serve(List.of(group(slots("d1", 1)).loadedAt(1_000), added));

        Outcome outcome = harness().run("added", "n0", new Command.Enqueue("t", 0, "n0",
                harness().clock().millis() + ContractHarness.WAIT, 0));

        assertThat(granted(outcome).deploymentId()).isEqualTo("e1");
        assertThat(harness().member(0).groups()).contains(ContractHarness.GROUP, "added");
    }

    @Test
    default void aLeaseReRegisteredOnARemovedDeploymentIsTakenAndCountsAgainstNothing() {
        harness().start(group(slots("d1", 1), slots("d2", 1)).loadedAt(1_000));
        serve(group(slots("d1", 1)).loadedAt(2_000));
        harness().tick();
        long epoch = harness().snapshot().epoch();
        Lease onRemoved = new Lease("x@1", "x", "n1", "d2", 0, 0, 0, 1, 0);

        harness().run("n1", new Command.Reconcile("n1", epoch, List.of(), List.of(onRemoved)));

        assertThat(harness().snapshot().leases()).extracting(Lease::id).contains("x@1");
        assertThat(harness().snapshot().load("d1").inFlight()).isZero();
        assertThat(granted(harness().enqueue("t", 0)).deploymentId()).isEqualTo("d1");
        assertThat(harness().run("n1", new Command.Release("x@1", Usage.succeeded(0))).result())
                .isEqualTo(new Result.Released(true));
    }
}
