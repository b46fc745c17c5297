package dev.triage.core.spi;

import dev.triage.core.EndReason;
import dev.triage.core.Lease;
import dev.triage.core.rules.Change;
import dev.triage.core.rules.ChangeList;
import dev.triage.core.rules.GroupState;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one command did to one group: its result for the caller and the record of its decisions.
 *
 * @param commit      the group's commit number after this command (a duplicate reports the current one)
 * @param now         the store time the command used
 * @param epoch       identifies this incarnation of the group's state; a new epoch means state was lost
 * @param duplicate   the operation id had been seen: nothing changed, {@code result} is the first one
 * @param changes     the decisions, in order; a replica applies exactly these
 * @param nextEventAt when the group next needs a {@link Command.Tick} (deadline, window roll, cooldown end,
 *                    silent node), or {@link Long#MAX_VALUE}
 * @param firstRun    for a duplicate, the first run's outcome while the group still keeps it (its last
 *                    {@link GroupState#RECENT_OUTCOMES} commands), else null: a caller whose first answer was lost
 *                    with a store member can still send the notices that run owed
 * @param callerBehind the caller's settings for the group came from an older config than the group's, which
 *                    kept its own (contract 11): the caller's node should say it runs an old config
 */
public record Outcome(long commit, long now, long epoch, boolean duplicate, Result result, List<Change> changes,
                      long nextEventAt, Outcome firstRun, boolean callerBehind) {

    public Outcome {
        // The rules hand over their own list, finished and read-only; anything else is copied.
        changes = changes instanceof ChangeList own && own.isDone() ? own : List.copyOf(changes);
    }

    public Outcome(long commit, long now, long epoch, boolean duplicate, Result result, List<Change> changes,
                   long nextEventAt, Outcome firstRun) {
        this(commit, now, epoch, duplicate, result, changes, nextEventAt, firstRun, false);
    }

    /** An outcome without a first run attached: every new command's, and a duplicate's the group forgot. */
    public Outcome(long commit, long now, long epoch, boolean duplicate, Result result, List<Change> changes,
                   long nextEventAt) {
        this(commit, now, epoch, duplicate, result, changes, nextEventAt, null);
    }

    /** The operation id this outcome remembered its result under, or null (ticks, heartbeats, drops). */
    public String rememberedOpId() {
        for (int i = 0; i < changes.size(); i++) {
            if (changes.get(i) instanceof Change.Remembered r) return r.opId();
        }
        return null;
    }

    /**
     * The notices this outcome of {@code command} owes each node: grants and endings of waiting tickets, one
     * batch per node. The ticket an enqueue or requeue was about is left out: its caller has the result.
     */
    public Map<String, List<Notice>> noticesByNode(Command command) {
        String own = command instanceof Command.Enqueue e ? e.ticketId()
                : command instanceof Command.Requeue r ? r.ticketId() : null;
        return noticesByNode(own);
    }

    /** The notices per node, leaving out {@code exceptTicketId} (null: none). */
    public Map<String, List<Notice>> noticesByNode(String exceptTicketId) {
        // Most outcomes owe one notice or none: a map and lists are made only for more.
        String firstNode = null;
        Notice first = null;
        Map<String, List<Notice>> byNode = null;
        for (int i = 0; i < changes.size(); i++) {
            Change change = changes.get(i);
            String nodeId;
            Notice notice;
            if (change instanceof Change.LeaseGranted g && !g.lease().ticketId().equals(exceptTicketId)) {
                nodeId = g.lease().nodeId();
                notice = new Notice.Granted(g.lease());
            } else if (change instanceof Change.TicketEnded e && !e.ticketId().equals(exceptTicketId)
                    && e.reason() != EndReason.CANCELLED) {
                nodeId = e.nodeId();
                notice = new Notice.Ended(e.ticketId(), e.reason());
            } else {
                continue;
            }
            if (first == null) {
                firstNode = nodeId;
                first = notice;
                continue;
            }
            if (byNode == null) {
                byNode = new HashMap<>();
                byNode.computeIfAbsent(firstNode, n -> new ArrayList<>()).add(first);
            }
            byNode.computeIfAbsent(nodeId, n -> new ArrayList<>()).add(notice);
        }
        if (byNode != null) return byNode;
        // emptyMap, unlike Map.of(), iterates its entries without allocating.
        return first == null ? Collections.emptyMap() : Map.of(firstNode, List.of(first));
    }

    /** Grants made by this command, in the order they were made. */
    public List<Lease> grants() {
        Lease first = null;
        List<Lease> grants = null;
        for (int i = 0; i < changes.size(); i++) {
            if (!(changes.get(i) instanceof Change.LeaseGranted g)) continue;
            if (first == null) {
                first = g.lease();
            } else {
                if (grants == null) {
                    grants = new ArrayList<>();
                    grants.add(first);
                }
                grants.add(g.lease());
            }
        }
        if (grants != null) return grants;
        return first == null ? List.of() : List.of(first);
    }
}
