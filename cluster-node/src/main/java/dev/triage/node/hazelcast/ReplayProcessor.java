package dev.triage.node.hazelcast;

import com.hazelcast.map.EntryProcessor;
import dev.triage.core.GroupSpec;
import dev.triage.core.rules.GroupState;
import dev.triage.core.spi.Outcome;
import dev.triage.core.wire.WireFormat;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The backup's side: applies the primary's recorded changes of a batch (a small delta), reading no clock. */
final class ReplayProcessor implements EntryProcessor<String, GroupState, BatchOutcome> {

    private final GroupSpec spec;
    private final List<Outcome> outcomes;

    ReplayProcessor(GroupSpec spec, List<Outcome> outcomes) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.outcomes = List.copyOf(outcomes);
        if (this.outcomes.isEmpty()) throw new IllegalArgumentException("nothing to replay");
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeInt(HazelcastMember.FORMAT_VERSION);
        WireFormat.writeGroupSpec(out, spec);
        WireFormat.writeList(out, outcomes, WireFormat::writeOutcome);
    }

    /** Refuses a backup written in another format before reading it, so it never reaches the replica. */
    static ReplayProcessor readFrom(DataInput in) throws IOException {
        HazelcastMember.requireFormat(in.readInt(), "a backup");
        return new ReplayProcessor(WireFormat.readGroupSpec(in), WireFormat.readList(in, WireFormat::readOutcome,
                "outcomes"));
    }

    @Override
    public BatchOutcome process(Map.Entry<String, GroupState> entry) {
        GroupState state = entry.getValue();
        if (state == null) state = new GroupState(spec, outcomes.get(0).epoch());
        for (Outcome outcome : outcomes) state.replay(outcome);
        entry.setValue(state);
        return null;
    }

    @Override
    public EntryProcessor<String, GroupState, BatchOutcome> getBackupProcessor() {
        return null;
    }
}
