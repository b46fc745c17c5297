package dev.triage.core.spi;

/**
 * What a backend has cost so far, for metrics and the load driver: commands sent for calls (enqueue, requeue,
 * release, cancel), commands of the safety net (reconciles, heartbeats, ticks, node drops: paid per node and
 * interval, not per call), round trips to the store (a batch of commands is one), and notice messages sent to
 * other nodes (a notice for a node in this process is handed over directly and not counted).
 */
public record StoreCounters(long callCommands, long safetyNetCommands, long roundTrips, long noticeMessages) {

    public static final StoreCounters NONE = new StoreCounters(0, 0, 0, 0);

    /** Every command sent. */
    public long commands() {
        return callCommands + safetyNetCommands;
    }

    /** Whether a command is a call's own (the two a call costs) rather than the safety net's. */
    public static boolean isCallCommand(Command command) {
        return command instanceof Command.Enqueue || command instanceof Command.Requeue
                || command instanceof Command.Release || command instanceof Command.Cancel;
    }
}
