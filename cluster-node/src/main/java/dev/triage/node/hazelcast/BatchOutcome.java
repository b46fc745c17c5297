package dev.triage.node.hazelcast;

import dev.triage.core.Outcome;
import dev.triage.core.WireFormat;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a batch of commands did, in the batch's order: for each command either its outcome or, when the rules
 * refused it whole (malformed), the reason (then its outcome is null).
 */
record BatchOutcome(List<Outcome> outcomes, List<String> refusals) {

    BatchOutcome {
        if (outcomes.size() != refusals.size()) {
            throw new IllegalArgumentException(outcomes.size() + " outcomes but " + refusals.size() + " refusals");
        }
        outcomes = Collections.unmodifiableList(new ArrayList<>(outcomes));
        refusals = Collections.unmodifiableList(new ArrayList<>(refusals));
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
        return new BatchOutcome(outcomes, refusals);
    }
}
