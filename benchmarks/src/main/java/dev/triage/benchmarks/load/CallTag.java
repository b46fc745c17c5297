package dev.triage.benchmarks.load;

/**
 * What the driver writes into a call's first message, {@code seq=12;p=3} (with {@code ;hold} for a call the
 * upstream keeps until released): the node strips {@code priority} before forwarding, so this is how the
 * upstream's records say which call arrived and at which priority.
 */
record CallTag(int seq, int priority, boolean hold) {

    static CallTag of(int seq, int priority) {
        return new CallTag(seq, priority, false);
    }

    String text() {
        return "seq=" + seq + ";p=" + priority + (hold ? ";hold" : "");
    }

    /** The tag in {@code text}, or null when the text is not one (a call the driver did not send). */
    static CallTag parse(String text) {
        String[] parts = text.split(";");
        if (parts.length < 2 || !parts[0].startsWith("seq=") || !parts[1].startsWith("p=")) return null;
        try {
            return new CallTag(Integer.parseInt(parts[0].substring(4)), Integer.parseInt(parts[1].substring(2)),
                    parts.length > 2 && parts[2].equals("hold"));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
