package dev.triage.node.hazelcast;

import com.hazelcast.map.EntryProcessor;
import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.GroupState;

import java.util.Map;

/** A read of one group's state where it lives: no copy of the whole state crosses the network. */
final class SnapshotProcessor implements EntryProcessor<String, GroupState, GroupSnapshot> {

    private static final long serialVersionUID = 1;

    private final GroupSpec spec;

    SnapshotProcessor(GroupSpec spec) {
        this.spec = spec;
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
