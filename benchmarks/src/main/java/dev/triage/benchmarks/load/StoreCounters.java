package dev.triage.benchmarks.load;

/**
 * The scheduler-store counters a node exports at {@code /metrics}, summed over label sets. A counter the node
 * does not export is NaN, so that any figure computed from it is NaN too and prints as {@code n/a}.
 */
record StoreCounters(double commands, double roundTrips, double messages, double admissions) {
    static final StoreCounters ZERO = new StoreCounters(0, 0, 0, 0);

    static StoreCounters parse(String prometheusText) {
        return new StoreCounters(sum(prometheusText, "triage_store_commands_total"),
                sum(prometheusText, "triage_store_round_trips_total"),
                sum(prometheusText, "triage_notice_messages_total"),
                sum(prometheusText, "triage_admissions_total"));
    }

    /** The sum of every sample of {@code name} ({@code name{node="..."} 123.0}), or NaN when there is none. */
    private static double sum(String text, String name) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (!line.startsWith(name) || line.length() == name.length()) continue;
            char next = line.charAt(name.length());
            if (next != '{' && next != ' ') continue;
            String value = line.substring(line.lastIndexOf(' ') + 1);
            try {
                sum += Double.parseDouble(value);
                found = true;
            } catch (NumberFormatException ignored) {
                // not a sample line
            }
        }
        return found ? sum : Double.NaN;
    }

    StoreCounters plus(StoreCounters other) {
        return new StoreCounters(commands + other.commands, roundTrips + other.roundTrips,
                messages + other.messages, admissions + other.admissions);
    }

    StoreCounters minus(StoreCounters earlier) {
        return new StoreCounters(commands - earlier.commands, roundTrips - earlier.roundTrips,
                messages - earlier.messages, admissions - earlier.admissions);
    }
}
