package dev.triage.benchmarks.load;

/**
 * The scheduler-store counters a node exports at {@code /metrics}, summed over label sets. A counter the node
 * does not export is NaN, so that any figure computed from it is NaN too and prints as {@code n/a}.
 */
record ScrapedCounters(double callCommands, double safetyNetCommands, double roundTrips, double messages,
                       double admissions) {
    static final ScrapedCounters ZERO = new ScrapedCounters(0, 0, 0, 0, 0);

    static ScrapedCounters parse(String prometheusText) {
        return new ScrapedCounters(sum(prometheusText, "triage_store_commands_total", "kind=\"call\""),
                sum(prometheusText, "triage_store_commands_total", "kind=\"safety_net\""),
                sum(prometheusText, "triage_store_round_trips_total", ""),
                sum(prometheusText, "triage_notice_messages_total", ""),
                sum(prometheusText, "triage_admissions_total", ""));
    }

    /** The sum of every sample of {@code name} ({@code name{node="..."} 123.0}), or NaN when there is none. */
    private static double sum(String text, String name, String label) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (!line.startsWith(name) || line.length() == name.length()) continue;
            char next = line.charAt(name.length());
            if (next != '{' && next != ' ' || !line.contains(label)) continue;
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

    ScrapedCounters plus(ScrapedCounters other) {
        return new ScrapedCounters(callCommands + other.callCommands, safetyNetCommands + other.safetyNetCommands,
                roundTrips + other.roundTrips, messages + other.messages, admissions + other.admissions);
    }

    ScrapedCounters minus(ScrapedCounters earlier) {
        return new ScrapedCounters(callCommands - earlier.callCommands,
                safetyNetCommands - earlier.safetyNetCommands, roundTrips - earlier.roundTrips,
                messages - earlier.messages, admissions - earlier.admissions);
    }
}
