package dev.triage.benchmarks.load;

/**
 * The one answer a call got, as the client saw it.
 *
 * @param status      the HTTP status, or -1 when the call failed without one
 * @param queueWaitMs the node's {@code x-triage-queue-wait-ms}, or -1 without it
 * @param failure     why there was no status (the exception's class), or a 200 whose body was not a whole
 *                    completion ("incomplete body"); null otherwise
 */
record Answer(CallTag tag, int status, long queueWaitMs, long latencyNanos, String failure) {

    /** How the answer is counted: its status, or its failure. */
    String outcome() {
        return failure != null ? failure : Integer.toString(status);
    }

    boolean ok() {
        return status / 100 == 2 && failure == null;
    }
}
