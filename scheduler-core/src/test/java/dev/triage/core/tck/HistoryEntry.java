package dev.triage.core.tck;

import dev.triage.core.GroupSpec;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;

/**
 * One command as a caller saw it: when it left and when its answer came back ({@link System#nanoTime}), the
 * outcome, or the failure if there was none, and the settings its backend sent with it.
 *
 * @param callerSpec the group's settings the backend served while the command ran, or null for those it was
 *                   started with
 */
public record HistoryEntry(String group, Command command, long startNanos, long endNanos, Outcome outcome,
                           Throwable failure, GroupSpec callerSpec) {

    public HistoryEntry(String group, Command command, long startNanos, long endNanos, Outcome outcome,
                        Throwable failure) {
        this(group, command, startNanos, endNanos, outcome, failure, null);
    }

    public long commit() {
        return outcome.commit();
    }

    public boolean duplicate() {
        return outcome.duplicate();
    }

    /** The commit this command saw the state at: the one before its own, or for a duplicate the one it reports. */
    long sawCommit() {
        return outcome.duplicate() ? outcome.commit() : outcome.commit() - 1;
    }

    @Override
    public String toString() {
        if (failure != null) return command + " -> failed: " + failure;
        return "#" + outcome.commit() + (outcome.duplicate() ? " (duplicate)" : "") + " at " + outcome.now() + " "
                + command + " -> " + outcome.result()
                + (outcome.grants().isEmpty() ? "" : ", grants " + outcome.grants());
    }
}
