package dev.triage.core;

/**
 * What a backend has cost so far, for metrics and the load driver: commands applied for this node, round trips
 * to the store (a batch of commands is one), and notice messages sent to other nodes (a notice for a node in
 * this process is handed over directly and not counted).
 */
public record StoreCounters(long commands, long roundTrips, long noticeMessages) {

    public static final StoreCounters NONE = new StoreCounters(0, 0, 0);
}
