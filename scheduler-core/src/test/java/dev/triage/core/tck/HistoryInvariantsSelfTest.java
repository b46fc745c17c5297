package dev.triage.core.tck;

import dev.triage.core.Deployment;
import dev.triage.core.EndReason;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.Ticket;
import dev.triage.core.rules.Change;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each safety rule of {@link HistoryInvariants} fires on a history that breaks it, and on no other. */
class HistoryInvariantsSelfTest {

    private static final GroupSpec SPEC = GroupSpec.of("g",
            Deployment.unlimited("d1").withRpm(2).withMaxParallelRequests(2)).withMaxQueueSize(3);

    private final HistoryInvariants invariants = new HistoryInvariants(SPEC);
    private long commit;

    private void run(Command command, Change... changes) {
        invariants.accept(() -> "commit " + (commit + 1), command,
                new Outcome(++commit, 0, 1, false, new Result.Applied(), List.of(changes), Long.MAX_VALUE));
    }

    private void step(Change... changes) {
        run(new Command.Tick(), changes);
    }

    private static Change queued(String id, long priority, long arrival, long deadline) {
        return new Change.TicketQueued(new Ticket(id, priority, arrival, "n0", deadline, 0, Set.of()));
    }

    private static Change granted(String ticketId) {
        return new Change.LeaseGranted(new Lease(ticketId + "@x", ticketId, "n0", "d1", 0, 0, 0, 0, 0));
    }

    private static Change released(String ticketId) {
        return new Change.LeaseEnded(ticketId + "@x", 0, false);
    }

    private void startAtWindowZero() {
        step(new Change.ClockAdvanced(1_000, 0));
    }

    @Test
    void aLawfulHistoryPasses() {
        startAtWindowZero();
        step(queued("a", 0, 1, 50_000), queued("b", 1, 2, 50_000), granted("a"), granted("b"));
        step(released("a"), queued("c", 0, 3, 50_000), new Change.TicketEnded("c", "n0", EndReason.SHED));

        assertThatCode(() -> step(new Change.ClockAdvanced(61_000, 1), released("b"))).doesNotThrowAnyException();
    }

    @Test
    void aThirdGrantInAWindowOfTwoRpmIsCaught() {
        startAtWindowZero();
        step(queued("a", 0, 1, 50_000), queued("b", 0, 2, 50_000), queued("c", 0, 3, 50_000),
                granted("a"), granted("b"), released("a"), released("b"));

        assertThatThrownBy(() -> step(granted("c"))).hasMessageContaining("at most 2 grants on d1");
    }

    @Test
    void aThirdCallInFlightOnTwoSlotsIsCaught() {
        GroupSpec unlimitedRpm = GroupSpec.of("g", Deployment.unlimited("d1").withMaxParallelRequests(2));
        HistoryInvariants parallel = new HistoryInvariants(unlimitedRpm);
        Outcome outcome = new Outcome(1, 0, 1, false, new Result.Applied(), List.of(new Change.ClockAdvanced(1, 0),
                queued("a", 0, 1, 50_000), queued("b", 0, 2, 50_000), queued("c", 0, 3, 50_000),
                granted("a"), granted("b"), granted("c")), Long.MAX_VALUE);

        assertThatThrownBy(() -> parallel.accept(() -> "commit 1", new Command.Tick(), outcome))
                .hasMessageContaining("at most 2 in flight on d1");
    }

    @Test
    void aGrantToATicketBehindTheHeadIsCaught() {
        startAtWindowZero();
        step(queued("first", 0, 1, 50_000), queued("second", 1, 2, 50_000));

        assertThatThrownBy(() -> step(granted("second"))).hasMessageContaining("a grant of the first waiting ticket first");
    }

    @Test
    void aGrantAfterTheDeadlineIsCaught() {
        startAtWindowZero();
        step(queued("late", 0, 1, 2_000));

        assertThatThrownBy(() -> step(new Change.ClockAdvanced(3_000, 0), granted("late")))
                .hasMessageContaining("granted before its deadline");
    }

    @Test
    void aGrantAfterACancelIsCaught() {
        startAtWindowZero();
        step(queued("gone", 0, 1, 50_000));
        run(new Command.Cancel("gone")); // a backend that ignored the cancel

        assertThatThrownBy(() -> step(granted("gone"))).hasMessageContaining("never granted after its cancel");
    }

    @Test
    void aTicketEndingTwiceIsCaught() {
        startAtWindowZero();
        step(queued("once", 0, 1, 50_000), new Change.TicketEnded("once", "n0", EndReason.SHED));

        assertThatThrownBy(() -> step(new Change.TicketEnded("once", "n0", EndReason.EXPIRED)))
                .hasMessageContaining("only a waiting ticket ends");
    }

    @Test
    void aWindowMovingBackIsCaught() {
        step(new Change.ClockAdvanced(61_000, 1));

        assertThatThrownBy(() -> step(new Change.ClockAdvanced(62_000, 0))).hasMessageContaining("never moving back");
    }

    @Test
    void aQueueOverItsBoundIsCaught() {
        startAtWindowZero();
        step(queued("a", 0, 1, 50_000), queued("b", 0, 2, 50_000), queued("c", 0, 3, 50_000));

        assertThatThrownBy(() -> step(queued("d", 0, 4, 50_000))).hasMessageContaining("at most 3 waiting");
    }
}
