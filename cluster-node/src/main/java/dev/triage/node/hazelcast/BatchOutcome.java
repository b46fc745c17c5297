package dev.triage.node.hazelcast;


import dev.triage.core.spi.Command;
import dev.triage.core.spi.Notice;
import dev.triage.core.spi.Outcome;
import dev.triage.core.wire.WireFormat;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a batch of commands did, in the batch's order: for each command either its outcome or, when the rules
 * refused it whole (malformed), the reason (then its outcome is null); and whether the member that ran it pushed
 * the batch's notices itself (it does when it has a backend for the group's namespace).
 */
record BatchOutcome(List<Outcome> outcomes, List<String> refusals, boolean noticesPushed) {

    BatchOutcome {
        if (outcomes.size() != refusals.size()) {
            throw new IllegalArgumentException(outcomes.size() + " outcomes but " + refusals.size() + " refusals");
        }
        outcomes = Collections.unmodifiableList(new ArrayList<>(outcomes));
        refusals = Collections.unmodifiableList(new ArrayList<>(refusals));
    }

    BatchOutcome(List<Outcome> outcomes, List<String> refusals) {
        this(outcomes, refusals, false);
    }

    BatchOutcome withNoticesPushed() {
        return new BatchOutcome(outcomes, refusals, true);
    }

    /**
     * The notices the batch owes each node, one list per node. For a duplicate, its first run's: Hazelcast retries
     * a call whose member died before answering, and the first run's notices may have died with it (a node ignores
     * a notice it already had).
     */
    Map<String, List<Notice>> notices(List<Command> commands) {
        Map<String, List<Notice>> byNode = new HashMap<>();
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome outcome = outcomes.get(i);
            Outcome owed = outcome == null ? null : outcome.duplicate() ? outcome.firstRun() : outcome;
            if (owed == null) continue;
            owed.noticesByNode(commands.get(i))
                    .forEach((node, list) -> byNode.computeIfAbsent(node, n -> new ArrayList<>()).addAll(list));
        }
        return byNode;
    }

    int size() {
        return outcomes.size();
    }

    /** The outcomes that changed the state, in order: what the backup replays. */
    List<Outcome> changing() {
        List<Outcome> changing = new ArrayList<>(outcomes.size());
        for (Outcome o : outcomes) {
            if (o != null && !o.duplicate()) changing.add(o);
        }
        return changing;
    }

    /** When the group next needs a tick after the whole batch: the last command's view of the state. */
    long nextEventAt() {
        for (int i = outcomes.size() - 1; i >= 0; i--) {
            if (outcomes.get(i) != null) return outcomes.get(i).nextEventAt();
        }
        return Long.MAX_VALUE;
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeBoolean(noticesPushed);
        WireFormat.writeCount(out, outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome outcome = outcomes.get(i);
            out.writeBoolean(outcome != null);
            if (outcome != null) {
                WireFormat.writeOutcome(out, outcome);
            } else {
                WireFormat.writeString(out, refusals.get(i));
            }
        }
    }

    static BatchOutcome readFrom(DataInput in) throws IOException {
        boolean noticesPushed = in.readBoolean();
        int size = WireFormat.readCount(in, "batch outcomes");
        List<Outcome> outcomes = new ArrayList<>(size);
        List<String> refusals = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            if (in.readBoolean()) {
                outcomes.add(WireFormat.readOutcome(in));
                refusals.add(null);
            } else {
                outcomes.add(null);
                refusals.add(WireFormat.readString(in, "a refusal"));
            }
        }
        return new BatchOutcome(outcomes, refusals, noticesPushed);
    }
}
