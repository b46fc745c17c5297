package dev.triage.node.hazelcast;

import com.hazelcast.map.EntryProcessor;
import dev.triage.core.GroupSpec;
import dev.triage.core.GroupState;
import dev.triage.core.Outcome;
import dev.triage.core.WireFormat;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/** The backup's side: applies the primary's recorded changes (a small delta), reading no clock. */
final class ReplayProcessor implements EntryProcessor<String, GroupState, Outcome> {

    private final GroupSpec spec;
    private final Outcome outcome;

    ReplayProcessor(GroupSpec spec, Outcome outcome) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.outcome = Objects.requireNonNull(outcome, "outcome");
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeInt(HazelcastMember.FORMAT_VERSION);
        WireFormat.writeGroupSpec(out, spec);
        WireFormat.writeOutcome(out, outcome);
    }

    /** Refuses a backup written in another format before reading it, so it never reaches the replica. */
    static ReplayProcessor readFrom(DataInput in) throws IOException {
        HazelcastMember.requireFormat(in.readInt(), "a backup");
        return new ReplayProcessor(WireFormat.readGroupSpec(in), WireFormat.readOutcome(in));
    }

    @Override
    public Outcome process(Map.Entry<String, GroupState> entry) {
        GroupState state = entry.getValue();
        if (state == null) state = new GroupState(spec, outcome.epoch());
        state.replay(outcome);
        entry.setValue(state);
        return outcome;
    }

    @Override
    public EntryProcessor<String, GroupState, Outcome> getBackupProcessor() {
        return null;
    }
}
