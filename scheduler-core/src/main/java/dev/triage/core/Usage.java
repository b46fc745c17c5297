package dev.triage.core;

/**
 * How a leased call ended, reported when its lease is released.
 *
 * @param tokensUsed       actual tokens (prompt + completion); corrects the tpm reservation
 * @param retryAfterMillis for {@link Completion#RATE_LIMITED}: how long the upstream asked us to stay away
 *                         (0: use the group's cooldown)
 */
public record Usage(long tokensUsed, Completion completion, long retryAfterMillis) {

    public enum Completion {
        /** The upstream answered. */
        SUCCEEDED,
        /** The upstream failed (5xx, connection error, timeout): counts towards {@code allowed_fails}. */
        FAILED,
        /** The upstream answered 429: the deployment cools down at once. */
        RATE_LIMITED,
        /** The call was never sent: the rpm unit and the tpm reservation are refunded. */
        NOT_DISPATCHED
    }

    public Usage {
        if (tokensUsed < 0) throw new IllegalArgumentException("tokensUsed must not be negative");
        if (retryAfterMillis < 0) throw new IllegalArgumentException("retryAfterMillis must not be negative");
    }

    public static Usage succeeded(long tokensUsed) {
        return new Usage(tokensUsed, Completion.SUCCEEDED, 0);
    }

    public static Usage failed() {
        return new Usage(0, Completion.FAILED, 0);
    }

    public static Usage rateLimited(long retryAfterMillis) {
        return new Usage(0, Completion.RATE_LIMITED, retryAfterMillis);
    }

    public static Usage notDispatched() {
        return new Usage(0, Completion.NOT_DISPATCHED, 0);
    }
}
