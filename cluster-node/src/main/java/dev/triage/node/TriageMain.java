package dev.triage.node;

import dev.triage.node.cli.TriageCli;

/** The process entry point of {@code triage.jar}. */
public final class TriageMain {

    private TriageMain() {
    }

    public static void main(String[] args) {
        int code = new TriageCli().run(args, System.out, System.err, System.getenv(), TriageNode::start);
        System.exit(code);
    }
}
