package dev.triage.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A queue timeout's Retry-After: the next rpm window for a window-bound group, else from the queue's pace. */
class GroupPaceTest {

    private static final long MINUTE = 60_000;

    @Test
    void aWindowBoundGroupRetriesWhenTheNextRpmWindowBegins() {
        GroupPace pace = new GroupPace(true);

        assertThat(pace.retryAfterSeconds(100 * MINUTE + 15_000)).isEqualTo(45);
        assertThat(pace.retryAfterSeconds(100 * MINUTE + 59_001)).isEqualTo(1);
        assertThat(pace.retryAfterSeconds(100 * MINUTE + 59_999)).isEqualTo(1);
        assertThat(pace.retryAfterSeconds(100 * MINUTE)).isEqualTo(60);
    }

    @Test
    void otherwiseARetryWaitsForTheCallsAheadOfItAtTheirRecentPace() {
        GroupPace pace = new GroupPace(false);
        long now = 1_000_000;
        for (int second = 1; second <= 10; second++) {
            for (int i = 0; i < 4; i++) pace.granted(now - second * 1000 + 10);
        }
        for (int i = 0; i < 19; i++) pace.startedWaiting();

        assertThat(pace.grantsPerSecond(now)).isEqualTo(4.0);
        assertThat(pace.retryAfterSeconds(now)).as("19 waiting and the retry, at 4 a second").isEqualTo(5);
        for (int i = 0; i < 15; i++) pace.stoppedWaiting();
        assertThat(pace.retryAfterSeconds(now)).isEqualTo(2);
    }

    @Test
    void grantsOlderThanTenSecondsOrInTheCurrentSecondDoNotCount() {
        GroupPace pace = new GroupPace(false);
        long now = 2_000_500;
        pace.granted(now - 11_000);
        pace.granted(now);

        assertThat(pace.grantsPerSecond(now)).isZero();
        assertThat(pace.retryAfterSeconds(now)).as("nothing to go on").isEqualTo(GroupPace.UNKNOWN_SECONDS);
    }

    @Test
    void aSlowQueueIsCappedAtAMinute() {
        GroupPace pace = new GroupPace(false);
        long now = 3_000_000;
        pace.granted(now - 5_000);
        for (int i = 0; i < 1_000; i++) pace.startedWaiting();

        assertThat(pace.retryAfterSeconds(now)).isEqualTo(GroupPace.MAX_SECONDS);
    }
}
