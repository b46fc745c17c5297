package dev.triage.node;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's default log: Hazelcast's start-up banners (logo, copyright, Jet, security hints, address picking)
 * and its health monitor say nothing an operator acts on and bury Triage's own lines, so they log at WARNING;
 * membership changes ({@code Members {size:3, ...}}) and every warning stay. A
 * {@code -Djava.util.logging.config.file} of the operator's own replaces all of this.
 */
final class DefaultLogLevels {

    private static final List<String> QUIET = List.of(
            "com.hazelcast.system",
            "com.hazelcast.instance",
            "com.hazelcast.internal.diagnostics",
            "com.hazelcast.internal.partition",
            "com.hazelcast.internal.cluster.impl.MembershipManager",
            "com.hazelcast.core.LifecycleService",
            "com.hazelcast.spi.impl.operationservice");

    /** Held: java.util.logging keeps loggers weakly, and a collected logger forgets its level. */
    private static final List<Logger> HELD = new java.util.ArrayList<>();

    private DefaultLogLevels() {
    }

    static synchronized void apply() {
        if (System.getProperty("java.util.logging.config.file") != null) return;
        for (String name : QUIET) {
            Logger logger = Logger.getLogger(name);
            logger.setLevel(Level.WARNING);
            HELD.add(logger);
        }
    }
}
