package dev.triage.http;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One model group's pace as this node sees it, the calls of it waiting here and how fast they were granted in
 * the last ten seconds, and from that the {@code Retry-After} of a queue timeout: when capacity is likely back.
 *
 * <p>For a group whose every deployment has an rpm or tpm limit, capacity returns with the next rpm window
 * (windows are whole minutes of the store's clock). For any other, a retry joins the back of this node's queue:
 * its turn comes after the calls waiting here, at the pace they have been granted. With no grant in ten seconds
 * there is nothing to go on but {@link #UNKNOWN_SECONDS}.
 */
final class GroupPace {

    static final long UNKNOWN_SECONDS = 5;
    static final long MAX_SECONDS = 60;
    private static final int SECONDS_KEPT = 10;
    private static final long WINDOW_MILLIS = dev.triage.core.rules.GroupState.WINDOW_MILLIS;

    private final boolean windowBound;
    private final AtomicInteger waiting = new AtomicInteger();
    /** Grants per second of the store's clock, in a ring indexed by the second. */
    private final long[] grants = new long[SECONDS_KEPT];
    private final long[] secondOf = new long[SECONDS_KEPT];

    /** @param windowBound whether every deployment of the group has an rpm or tpm limit */
    GroupPace(boolean windowBound) {
        this.windowBound = windowBound;
    }

    boolean windowBound() {
        return windowBound;
    }

    void startedWaiting() {
        waiting.incrementAndGet();
    }

    void stoppedWaiting() {
        waiting.decrementAndGet();
    }

    synchronized void granted(long nowMillis) {
        long second = Math.floorDiv(nowMillis, 1000);
        int slot = (int) Math.floorMod(second, SECONDS_KEPT);
        if (secondOf[slot] != second) {
            secondOf[slot] = second;
            grants[slot] = 0;
        }
        grants[slot]++;
    }

    /** Grants per second over the last ten whole seconds. */
    synchronized double grantsPerSecond(long nowMillis) {
        long current = Math.floorDiv(nowMillis, 1000);
        long total = 0;
        for (int i = 0; i < SECONDS_KEPT; i++) {
            if (secondOf[i] < current && secondOf[i] >= current - SECONDS_KEPT) total += grants[i];
        }
        return total / (double) SECONDS_KEPT;
    }

    /** Seconds until a call that timed out now should retry, 1 to {@link #MAX_SECONDS}. */
    long retryAfterSeconds(long nowMillis) {
        if (windowBound) {
            long nextWindow = (Math.floorDiv(nowMillis, WINDOW_MILLIS) + 1) * WINDOW_MILLIS;
            return clamp(ceilSeconds(nextWindow - nowMillis));
        }
        double rate = grantsPerSecond(nowMillis);
        if (rate == 0) return UNKNOWN_SECONDS;
        return clamp((long) Math.ceil((Math.max(0, waiting.get()) + 1) / rate));
    }

    private static long ceilSeconds(long millis) {
        return (millis + 999) / 1000;
    }

    private static long clamp(long seconds) {
        return Math.max(1, Math.min(MAX_SECONDS, seconds));
    }
}
