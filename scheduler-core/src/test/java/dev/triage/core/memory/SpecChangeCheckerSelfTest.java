package dev.triage.core.memory;

import dev.triage.core.Deployment;
import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.Usage;
import dev.triage.core.rules.Change;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import dev.triage.core.spi.SchedulerBackend;
import dev.triage.core.tck.ContractHarness;
import dev.triage.core.tck.FakeClock;
import dev.triage.core.tck.History;
import dev.triage.core.tck.HistoryChecker;
import dev.triage.core.tck.HistoryEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The history checker knows settings changes (contract 11): a history of a raise, an older config and a lowered
 * limit passes, and each way a backend could get them wrong is caught.
 */
class SpecChangeCheckerSelfTest {

    private static final GroupSpec SPEC = GroupSpec.of("g",
            Deployment.unlimited("d1").withMaxParallelRequests(1)).withLeaseBound(600_000);
    private static final GroupSpec RAISED = GroupSpec.of("g",
            Deployment.unlimited("d1").withMaxParallelRequests(3)).withLeaseBound(600_000).loadedAt(20);
    private static final GroupSpec STALE = GroupSpec.of("g",
            Deployment.unlimited("d1").withMaxParallelRequests(2)).withLeaseBound(600_000).loadedAt(10);
    private static final GroupSpec LOWERED = SPEC.loadedAt(30);

    private final FakeClock clock = new FakeClock();
    private final History history = new History();
    private InMemoryBackend backend;
    private SchedulerBackend recorded;
    private Lease a;

    @BeforeEach
    void recordAHistoryWithThreeConfigs() {
        backend = new InMemoryBackend(List.of(SPEC), clock, 42);
        recorded = history.recording(backend);
        a = granted(enqueue("a")); // 0
        enqueue("b"); // 1: waits, one slot
        recorded.serve(List.of(RAISED));
        enqueue("c"); // 2: adopts three slots, grants b and c
        recorded.serve(List.of(STALE));
        enqueue("d"); // 3: an older config: told it is behind, waits under three slots held
        recorded.serve(List.of(LOWERED));
        run(new Command.Release(a.id(), Usage.succeeded(1))); // 4: one slot now, two held: debt, no grant
    }

    @AfterEach
    void close() {
        backend.close();
    }

    private Outcome enqueue(String ticketId) {
        return run(new Command.Enqueue(ticketId, 0, "n0", clock.millis() + 600_000, 0));
    }

    private Outcome run(Command command) {
        return ContractHarness.run(recorded, "g", command);
    }

    private static Lease granted(Outcome outcome) {
        return ((Result.Granted) outcome.result()).lease();
    }

    /** The history with one outcome altered. */
    private History tampered(int step, UnaryOperator<Outcome> tamper) {
        History altered = new History();
        List<HistoryEntry> entries = history.entries();
        for (int i = 0; i < entries.size(); i++) {
            HistoryEntry e = entries.get(i);
            Outcome outcome = i == step ? tamper.apply(e.outcome()) : e.outcome();
            altered.add(new HistoryEntry(e.group(), e.command(), e.startNanos(), e.endNanos(), outcome, null,
                    e.callerSpec()));
        }
        return altered;
    }

    private static Outcome with(Outcome o, List<Change> changes, boolean callerBehind) {
        return new Outcome(o.commit(), o.now(), o.epoch(), o.duplicate(), o.result(), changes, o.nextEventAt(),
                o.firstRun(), callerBehind);
    }

    @Test
    void theHistoryPassesAndEachEntryKnowsTheSettingsItsCommandCarried() {
        GroupSnapshot last = backend.snapshot("g").toCompletableFuture().join();

        assertThat(history.entries()).extracting(HistoryEntry::callerSpec)
                .containsExactly(null, null, RAISED, STALE, LOWERED);
        assertThat(HistoryChecker.check(history, List.of(SPEC), g -> last).counts())
                .containsEntry("specAdopted", 2L).containsEntry("callerBehind", 1L);
        assertThat(last.leases()).as("b and c, held over the lowered limit").hasSize(2);
        assertThat(last.waiting()).extracting(t -> t.id()).containsExactly("d");
    }

    @Test
    void newerSettingsNotAdoptedAreCaught() {
        History altered = tampered(2, o -> with(o,
                o.changes().stream().filter(ch -> !(ch instanceof Change.SpecAdopted)).toList(), false));

        assertThatThrownBy(() -> HistoryChecker.check(altered, List.of(SPEC), null))
                .hasMessageContaining("step 2").hasMessageContaining("the caller's newer settings adopted");
    }

    @Test
    void olderSettingsAdoptedAreCaught() {
        History altered = tampered(3, o -> {
            List<Change> changes = new ArrayList<>(o.changes());
            changes.add(0, new Change.SpecAdopted(STALE));
            return with(o, changes, o.callerBehind());
        });

        assertThatThrownBy(() -> HistoryChecker.check(altered, List.of(SPEC), null))
                .hasMessageContaining("step 3").hasMessageContaining("the group's settings kept");
    }

    @Test
    void aCallerOnAnOlderConfigNotToldIsCaught() {
        History altered = tampered(3, o -> with(o, o.changes(), false));

        assertThatThrownBy(() -> HistoryChecker.check(altered, List.of(SPEC), null))
                .hasMessageContaining("step 3").hasMessageContaining("the caller told it is behind");
    }

    @Test
    void aGrantWhileUsageIsOverALoweredLimitIsCaught() {
        History altered = tampered(4, o -> {
            List<Change> changes = new ArrayList<>(o.changes());
            changes.add(new Change.LeaseGranted(new Lease("d@x", "d", "n0", "d1", a.window(), 0, 0, 4,
                    o.now())));
            return with(o, changes, false);
        });

        assertThatThrownBy(() -> HistoryChecker.check(altered, List.of(SPEC), null))
                .hasMessageContaining("step 4").hasMessageContaining("d granted to one of []");
    }
}
