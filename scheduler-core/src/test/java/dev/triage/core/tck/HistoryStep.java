package dev.triage.core.tck;


import dev.triage.core.EndReason;
import dev.triage.core.Lease;
import dev.triage.core.rules.Change;
import dev.triage.core.spi.Outcome;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import static dev.triage.core.tck.ReferenceModel.expect;

/** One outcome taken apart for the {@link ReferenceModel}, beside what the model expects of it. */
final class HistoryStep {

    record End(EndReason reason, String nodeId) {
    }

    final Supplier<String> where;
    /** The backend's grants, in the order it made them; the model takes them one by one. */
    final Deque<Lease> grants = new ArrayDeque<>();
    final Map<String, End> actualEnds = new TreeMap<>();
    final Map<String, Boolean> actualLeaseEnds = new TreeMap<>();
    final Map<String, End> expectedEnds = new TreeMap<>();
    /** Lease id to whether its rpm unit and reservation are refunded. */
    final Map<String, Boolean> expectedLeaseEnds = new TreeMap<>();
    /** Ticket id to the lease it got in this step. */
    final Map<String, Lease> granted = new HashMap<>();
    /** A ticket cancelled before the store knew it, if this step is such a cancel. */
    String tombstone;

    HistoryStep(Supplier<String> where, Outcome outcome) {
        this.where = where;
        for (Change change : outcome.changes()) {
            if (change instanceof Change.LeaseGranted g) {
                grants.add(g.lease());
            } else if (change instanceof Change.TicketEnded e) {
                End previous = actualEnds.put(e.ticketId(), new End(e.reason(), e.nodeId()));
                expect(previous == null, where, () -> "one end per ticket", () -> e.ticketId() + " ended twice");
            } else if (change instanceof Change.LeaseEnded e) {
                Boolean previous = actualLeaseEnds.put(e.leaseId(), e.refund());
                expect(previous == null, where, () -> "one end per lease", () -> e.leaseId() + " ended twice");
            }
        }
    }

    void compareEnds() {
        End recorded = tombstone == null ? null : actualEnds.get(tombstone);
        if (recorded != null && recorded.reason() == EndReason.CANCELLED) {
            actualEnds.remove(tombstone); // how a cancel of an unknown ticket is remembered is the backend's choice
        }
        expect(expectedEnds.equals(actualEnds), where, () -> "tickets ended " + expectedEnds, () -> "" + actualEnds);
        expect(expectedLeaseEnds.equals(actualLeaseEnds), where, () -> "leases ended (refund?) " + expectedLeaseEnds,
                () -> "" + actualLeaseEnds);
    }
}
