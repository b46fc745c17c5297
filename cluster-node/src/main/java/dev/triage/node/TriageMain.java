package dev.triage.node;

import dev.triage.node.cli.TriageCli;

/** The process entry point of {@code triage.jar}. */
public final class TriageMain {

    private TriageMain() {
    }

    public static void main(String[] args) {
        // Before anything loads java.util.logging, which reads this once; an operator's own manager wins.
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "dev.triage.node.NodeLogManager");
        }
        // One line per log record, so the access log's JSON lines stay one line each.
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s %5$s%6$s%n");
        DefaultLogLevels.apply();
        NodeLogManager.holdHandlers();
        int code = new TriageCli().run(args, System.out, System.err, System.getenv(), TriageNode::start);
        System.exit(code);
    }
}
