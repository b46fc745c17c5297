package dev.triage.benchmarks.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Store commands, round trips and notice messages per admitted call, from every node's {@code /metrics} before
 * and after each saturation scenario; reported at the end, as one table.
 */
final class StoreOps {
    interface Scenario {
        void run() throws Exception;
    }

    private record Measured(String scenario, int nodes, StoreCounters delta) {
    }

    private final List<Measured> measured = new ArrayList<>();

    /** Runs {@code scenario} on {@code nodes}, counting what their stores did meanwhile. */
    void around(String name, TriageNodes nodes, Scenario scenario) throws Exception {
        StoreCounters before = scrape(nodes);
        scenario.run();
        measured.add(new Measured(name, nodes.size(), scrape(nodes).minus(before)));
    }

    private static StoreCounters scrape(TriageNodes nodes) {
        try {
            return nodes.storeCounters();
        } catch (IOException e) {
            return StoreCounters.parse("");
        }
    }

    void report(Report report) {
        StoreCounters total = StoreCounters.ZERO;
        for (Measured m : measured) {
            row(report, m.scenario(), m.nodes(), m.delta());
            total = total.plus(m.delta());
        }
        row(report, "all", 0, total);
    }

    private static void row(Report report, String scenario, int nodes, StoreCounters delta) {
        report.row("store_ops_per_admitted_call")
                .put("scenario", scenario)
                .put("nodes", nodes)
                .put("admitted", delta.admissions())
                .put("commands", delta.commands() / delta.admissions())
                .put("round_trips", delta.roundTrips() / delta.admissions())
                .put("messages", delta.messages() / delta.admissions())
                .add();
    }
}
