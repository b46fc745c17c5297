package dev.triage.benchmarks.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Store commands (a call's own, and the safety net's, which is paid per node and interval), round trips and
 * notice messages per admitted call, from every node's {@code /metrics} before
 * and after each saturation scenario; reported at the end, as one table.
 */
final class StoreOps {
    interface Scenario {
        void run() throws Exception;
    }

    private record Measured(String scenario, int nodes, ScrapedCounters delta) {
    }

    private final List<Measured> measured = new ArrayList<>();

    /** Runs {@code scenario} on {@code nodes}, counting what their stores did meanwhile. */
    void around(String name, TriageNodes nodes, Scenario scenario) throws Exception {
        ScrapedCounters before = scrape(nodes);
        scenario.run();
        measured.add(new Measured(name, nodes.size(), scrape(nodes).minus(before)));
    }

    private static ScrapedCounters scrape(TriageNodes nodes) {
        try {
            return nodes.storeCounters();
        } catch (IOException e) {
            return ScrapedCounters.parse("");
        }
    }

    void report(Report report) {
        ScrapedCounters total = ScrapedCounters.ZERO;
        for (Measured m : measured) {
            row(report, m.scenario(), m.nodes(), m.delta());
            total = total.plus(m.delta());
        }
        row(report, "all", 0, total);
    }

    private static void row(Report report, String scenario, int nodes, ScrapedCounters delta) {
        report.row("store_ops_per_admitted_call")
                .put("scenario", scenario)
                .put("nodes", nodes)
                .put("admitted", delta.admissions())
                .put("call_commands", delta.callCommands() / delta.admissions())
                .put("safety_net_commands", delta.safetyNetCommands() / delta.admissions())
                .put("round_trips", delta.roundTrips() / delta.admissions())
                .put("messages", delta.messages() / delta.admissions())
                .add();
    }
}
