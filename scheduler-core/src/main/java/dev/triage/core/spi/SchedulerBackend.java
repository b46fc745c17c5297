package dev.triage.core.spi;

import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.UnknownGroupException;
import dev.triage.core.rules.GroupRules;
import dev.triage.core.rules.GroupState;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The backend SPI: where group states live and how commands reach them. A backend applies each command with
 * {@link GroupRules#execute} atomically where the group's state lives, reading its own clock once, keeps any
 * replica by {@link GroupState#replay replaying} the outcome, pushes each outcome's
 * {@link Outcome#noticesByNode notices} to their nodes (one batch per node), and runs a {@link Command.Tick}
 * when an outcome's {@link Outcome#nextEventAt} comes due. It holds no scheduling logic of its own.
 *
 * <p>The in-memory, Hazelcast and Redis backends implement this and pass the same contract suite.
 */
public interface SchedulerBackend extends AutoCloseable {

    /**
     * Applies one command to one group. Fails with {@link UnknownGroupException} for a group it does not
     * serve, and with another exception while the store cannot be reached (the command may or may not have
     * been applied: resending it under the same operation id is safe).
     */
    CompletionStage<Outcome> execute(String group, Command command);

    /**
     * Serves these groups' settings from now on (a reloaded config): a group not served before is added, and a
     * changed spec goes with every command to its group, which adopts it if its config is newer (contract 11). A
     * group left out is still served: calls already on it end normally.
     */
    void serve(Collection<GroupSpec> specs);

    /** A consistent read of one group's state. */
    CompletionStage<GroupSnapshot> snapshot(String group);

    /** Delivers the notices addressed to {@code nodeId} to {@code listener} until the returned handle closes. */
    AutoCloseable subscribe(String nodeId, NoticeListener listener);

    /** The groups this backend serves. */
    Set<String> groups();

    /** The store's clock, as commands see it. */
    long now();

    /** Whether this node may admit through this backend now; a store that is always there is always healthy. */
    default StoreHealth health() {
        return StoreHealth.HEALTHY;
    }

    /** What this backend has cost so far; a backend that does not count answers {@link StoreCounters#NONE}. */
    default StoreCounters counters() {
        return StoreCounters.NONE;
    }

    @Override
    void close();
}
