package dev.triage.http;

import java.time.Duration;

/**
 * How a graceful stop went.
 *
 * @param refusedWaiting calls that were waiting for a grant when the stop began: each got 503 at once
 * @param admitted calls admitted and running when the stop began
 * @param cutOff calls still running when the drain timeout ended the wait (0 when every call finished)
 * @param took how long the drain waited
 */
public record Drain(int refusedWaiting, int admitted, long cutOff, Duration took) {
}
