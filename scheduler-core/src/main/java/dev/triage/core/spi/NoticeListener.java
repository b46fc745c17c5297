package dev.triage.core.spi;

import java.util.List;

/** Receives the notices a backend pushes to one node: one call per command and node, never per waiter. */
public interface NoticeListener {

    void onNotices(String group, List<Notice> notices);

    /**
     * The store may have lost what this node registered (a split-brain merge, a store restart): the node
     * should re-register its waiting tickets and held leases ({@link Command.Reconcile}).
     */
    default void onStoreReset() {
    }
}
