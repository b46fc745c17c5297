package dev.triage.node.redis;

/** Redis stream entry ids, {@code <milliseconds>-<sequence>}, in the order the stream keeps them. */
final class StreamIds {

    private StreamIds() {
    }

    static int compare(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        int byTime = Long.compareUnsigned(Long.parseUnsignedLong(a.substring(0, da)),
                Long.parseUnsignedLong(b.substring(0, db)));
        if (byTime != 0) return byTime;
        return Long.compareUnsigned(Long.parseUnsignedLong(a.substring(da + 1)), Long.parseUnsignedLong(b.substring(db + 1)));
    }
}
