package dev.triage.benchmarks.load;

/**
 * One call as the upstream saw it, times from {@code System.nanoTime} in the upstream's JVM.
 *
 * @param endNanos when the answer was written, or -1 while the call is still being served
 * @param tag      null for a call whose first message was not a {@link CallTag}
 */
record UpstreamRecord(long arrivalNanos, long endNanos, CallTag tag) {

    boolean ended() {
        return endNanos >= 0;
    }

    long busyNanos() {
        return endNanos - arrivalNanos;
    }

    /** The {@code arrival end tag} line that {@code GET /records} answers. */
    static UpstreamRecord parse(String line) {
        String[] fields = line.split(" ", 3);
        return new UpstreamRecord(Long.parseLong(fields[0]), Long.parseLong(fields[1]),
                fields.length > 2 ? CallTag.parse(fields[2]) : null);
    }
}
