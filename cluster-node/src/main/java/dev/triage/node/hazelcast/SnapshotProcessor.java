package dev.triage.node.hazelcast;

import com.hazelcast.map.EntryProcessor;
import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.rules.GroupState;
import dev.triage.core.wire.WireFormat;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/** A read of one group's state where it lives: no copy of the whole state crosses the network. */
final class SnapshotProcessor implements EntryProcessor<String, GroupState, GroupSnapshot> {

    private final GroupSpec spec;

    SnapshotProcessor(GroupSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeInt(HazelcastMember.FORMAT_VERSION);
        WireFormat.writeGroupSpec(out, spec);
    }

    static SnapshotProcessor readFrom(DataInput in) throws IOException {
        HazelcastMember.requireFormat(in.readInt(), "a snapshot read");
        return new SnapshotProcessor(WireFormat.readGroupSpec(in));
    }

    @Override
    public GroupSnapshot process(Map.Entry<String, GroupState> entry) {
        GroupState state = entry.getValue();
        return (state != null ? state : new GroupState(spec, 0)).snapshot();
    }

    @Override
    public EntryProcessor<String, GroupState, GroupSnapshot> getBackupProcessor() {
        return null;
    }
}
