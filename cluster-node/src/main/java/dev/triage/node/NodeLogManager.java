package dev.triage.node;

import java.util.logging.LogManager;

/**
 * java.util.logging's manager, except that it keeps its handlers open to the end of the process. The stock
 * manager closes every handler from a shutdown hook of its own, which runs alongside the node's: on SIGTERM
 * the lines of the drain ("stopping: ...", "drained ...") were lost. The handlers that ship flush every record,
 * so nothing is left unwritten when the process ends without closing them.
 *
 * <p>{@link TriageMain} names it in {@code java.util.logging.manager} by its name: touching this class loads
 * {@code LogManager}, whose static initializer reads that property, so it must be set first.
 */
public final class NodeLogManager extends LogManager {

    private static volatile boolean holdingHandlers;

    /** From now on a reset (the stock shutdown hook's) leaves the handlers open. */
    static void holdHandlers() {
        holdingHandlers = true;
    }

    @Override
    public void reset() {
        if (!holdingHandlers) super.reset();
    }
}
