package dev.triage.core.memory;

import dev.triage.core.Deployment;
import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.Usage;
import dev.triage.core.rules.Change;
import dev.triage.core.rules.GroupState;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import dev.triage.core.spi.SchedulerBackend;
import dev.triage.core.tck.ContractHarness;
import dev.triage.core.tck.FakeClock;
import dev.triage.core.tck.History;
import dev.triage.core.tck.HistoryChecker;
import dev.triage.core.tck.HistoryEntry;
import dev.triage.core.tck.ReferenceModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reference model and the history checker catch what they are there to catch. */
class ReferenceModelSelfTest {

    private static final GroupSpec SPEC = GroupSpec.of("g",
            Deployment.unlimited("d1").withRpm(2).withMaxParallelRequests(1)).withLeaseBound(600_000);

    private final FakeClock clock = new FakeClock();
    private final History history = new History();
    private InMemoryBackend backend;
    private SchedulerBackend recorded;

    @BeforeEach
    void recordAShortHistory() {
        backend = new InMemoryBackend(List.of(SPEC), clock, 42);
        recorded = history.recording(backend);
        long deadline = clock.millis() + 600_000;
        Lease a = ((Result.Granted) run(new Command.Enqueue("a", 0, "n0", deadline, 0)).result()).lease(); // 0
        run(new Command.Enqueue("b", 1, "n0", deadline, 0)); // 1
        run(new Command.Enqueue("c", 0, "n1", deadline, 0)); // 2
        Lease c = run(new Command.Release(a.id(), Usage.succeeded(5))).grants().get(0); // 3: grants c
        run(new Command.Release(c.id(), Usage.succeeded(5))); // 4: rpm used up
        clock.advance(60_000);
        run(new Command.Tick()); // 5: grants b
        run(new Command.Enqueue("e", 0, "n1", clock.millis() + 1_000, 0)); // 6
        clock.advance(2_000);
        run(new Command.Tick()); // 7: e expires
    }

    @AfterEach
    void close() {
        backend.close();
    }

    private Outcome run(Command command) {
        return ContractHarness.run(recorded, "g", command);
    }

    private GroupSnapshot snapshot() {
        return backend.snapshot("g").toCompletableFuture().join();
    }

    /** Replays the recorded history through a fresh model with one outcome altered. */
    private void replayWith(int step, UnaryOperator<Outcome> tamper) {
        ReferenceModel model = new ReferenceModel(SPEC);
        List<HistoryEntry> entries = history.entries();
        for (int i = 0; i < entries.size(); i++) {
            Outcome outcome = entries.get(i).outcome();
            model.check(i, entries.get(i).command(), i == step ? tamper.apply(outcome) : outcome);
        }
    }

    private static Outcome with(Outcome o, Result result, List<Change> changes) {
        return new Outcome(o.commit(), o.now(), o.epoch(), o.duplicate(), result, changes, o.nextEventAt());
    }

    private static Lease leaseFor(Lease like, String ticketId) {
        return new Lease(ticketId + "@x", ticketId, like.nodeId(), like.deploymentId(), like.window(),
                like.tokensReserved(), like.priority(), like.arrival(), like.grantedAt());
    }

    @Test
    void theRecordedHistoryPassesAndMatchesTheBackendsSnapshot() {
        GroupSnapshot last = snapshot();

        assertThat(HistoryChecker.check(history, List.of(SPEC), g -> last).count("grants")).isEqualTo(3);
    }

    @Test
    void aGrantToATicketBehindTheHeadIsCaught() {
        assertThatThrownBy(() -> replayWith(3, o -> {
            List<Change> changes = new ArrayList<>();
            for (Change ch : o.changes()) {
                boolean grant = ch instanceof Change.LeaseGranted;
                changes.add(grant ? new Change.LeaseGranted(leaseFor(((Change.LeaseGranted) ch).lease(), "b")) : ch);
            }
            return with(o, o.result(), changes);
        })).hasMessageContaining("step 3").hasMessageContaining("a grant of the first waiting ticket c");
    }

    @Test
    void aGrantOverTheRpmLimitIsCaught() {
        Lease any = history.entries().get(3).outcome().grants().get(0);
        assertThatThrownBy(() -> replayWith(4, o -> {
            List<Change> changes = new ArrayList<>(o.changes());
            changes.add(new Change.LeaseGranted(leaseFor(any, "b")));
            return with(o, o.result(), changes);
        })).hasMessageContaining("step 4").hasMessageContaining("b granted to one of []");
    }

    @Test
    void aMissedGrantIsCaught() {
        assertThatThrownBy(() -> replayWith(5, o -> with(o, o.result(),
                o.changes().stream().filter(ch -> !(ch instanceof Change.LeaseGranted)).toList())))
                .hasMessageContaining("step 5").hasMessageContaining("a grant of b to one of [d1]");
    }

    @Test
    void aWrongArrivalIsCaught() {
        assertThatThrownBy(() -> replayWith(1, o -> with(o, new Result.Queued(7), o.changes())))
                .hasMessageContaining("result Queued[arrival=2]");
    }

    @Test
    void aMissingExpiryIsCaught() {
        assertThatThrownBy(() -> replayWith(7, o -> with(o, o.result(),
                o.changes().stream().filter(ch -> !(ch instanceof Change.TicketEnded)).toList())))
                .hasMessageContaining("tickets ended {e=End[reason=EXPIRED");
    }

    @Test
    void aDuplicateAnsweringSomethingElseIsCaught() {
        Outcome last = history.entries().get(7).outcome();
        long now = System.nanoTime();
        history.add(new HistoryEntry("g", new Command.Enqueue("b", 1, "n0", 0, 0), now, now,
                new Outcome(last.commit(), last.now(), last.epoch(), true, new Result.Queued(9), List.of(),
                        last.nextEventAt()), null));

        assertThatThrownBy(() -> HistoryChecker.check(history, List.of(SPEC), null))
                .hasMessageContaining("the first result Queued[arrival=2]");
    }

    @Test
    void aCommandTheHistoryMissedShowsAsACommitGap() {
        History gappy = new History();
        List<HistoryEntry> entries = history.entries();
        for (int i = 0; i < entries.size(); i++) if (i != 3) gappy.add(entries.get(i));

        assertThatThrownBy(() -> HistoryChecker.check(gappy, List.of(SPEC), null))
                .hasMessageContaining("commit 5 where 4 was due");
    }

    @Test
    void aHeartbeatTheStoreRanTwiceTakesTwoCommitsAndPasses() {
        ContractHarness.run(backend, "g", new Command.RenewNode("n1")); // the first run, its answer lost
        run(new Command.RenewNode("n1"));
        GroupSnapshot last = snapshot();

        assertThat(HistoryChecker.check(history, List.of(SPEC), g -> last).count("reruns")).isEqualTo(1);
    }

    @Test
    void aFirstRunWhoseAnswerWasLostIsCheckedFromTheOutcomeItsRetryCarries() {
        Command enqueue = new Command.Enqueue("retried", 0, "n1", clock.millis() + 600_000, 0);
        ContractHarness.run(backend, "g", enqueue); // the first run, its answer lost with a member
        Outcome retried = run(enqueue);
        GroupSnapshot last = snapshot();

        assertThat(retried.duplicate()).isTrue();
        assertThat(retried.firstRun().commit()).isEqualTo(retried.commit());
        assertThat(HistoryChecker.check(history, List.of(SPEC), g -> last).count("commands")).isEqualTo(9);
    }

    @Test
    void aDuplicateOfAFirstRunTheGroupForgotLeavesAGap() {
        Command enqueue = new Command.Enqueue("retried", 0, "n1", clock.millis() + 600_000, 0);
        ContractHarness.run(backend, "g", enqueue);
        for (int i = 0; i < GroupState.RECENT_OUTCOMES; i++) {
            ContractHarness.run(backend, "g", new Command.Cancel("never-" + i));
        }
        Outcome retried = run(enqueue);

        assertThat(retried.duplicate()).isTrue();
        assertThat(retried.firstRun()).isNull();
        assertThatThrownBy(() -> HistoryChecker.check(history, List.of(SPEC), null))
                .hasMessageContaining("a new command");
    }

    @Test
    void anEnqueueTheHistoryMissedBeforeAHeartbeatIsStillCaught() {
        ContractHarness.run(backend, "g", new Command.Enqueue("lost", 0, "n1", clock.millis() + 600_000, 0));
        run(new Command.RenewNode("n1"));
        GroupSnapshot last = snapshot();

        assertThatThrownBy(() -> HistoryChecker.check(history, List.of(SPEC), g -> last))
                .hasMessageContaining("snapshot");
    }

    @Test
    void aCommandAnsweredBeforeAnotherWasSentYetCommittedAfterItIsCaught() {
        History reordered = new History();
        List<HistoryEntry> entries = history.entries();
        for (int i = 0; i < entries.size(); i++) {
            HistoryEntry e = entries.get(i);
            // Entry 2 claims to have been answered before entry 1 was even sent.
            long start = i == 2 ? 100 : i == 1 ? 300 : e.startNanos();
            long end = i == 2 ? 200 : i == 1 ? 400 : e.endNanos();
            reordered.add(new HistoryEntry(e.group(), e.command(), start, end, e.outcome(), null));
        }

        assertThatThrownBy(() -> HistoryChecker.check(reordered, List.of(SPEC), null))
                .hasMessageContaining("real-time order broken");
    }

    @Test
    void aSnapshotThatDisagreesWithTheModelIsCaught() {
        run(new Command.Enqueue("late", 0, "n0", clock.millis() + 600_000, 0));
        GroupSnapshot unrecordedChange = snapshot();
        History withoutIt = new History();
        history.entries().stream().limit(8).forEach(withoutIt::add);

        assertThatThrownBy(() -> HistoryChecker.check(withoutIt, List.of(SPEC), g -> unrecordedChange))
                .hasMessageContaining("a snapshot at the model's commit 8");
    }
}
