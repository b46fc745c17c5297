package dev.triage.node.hazelcast;

import com.hazelcast.map.EntryProcessor;
import dev.triage.core.GroupSpec;
import dev.triage.core.GroupState;
import dev.triage.core.Outcome;

import java.util.Map;

/** The backup's side: applies the primary's recorded changes (a small delta), reading no clock. */
final class ReplayProcessor implements EntryProcessor<String, GroupState, Outcome> {

    private static final long serialVersionUID = 1;

    private final int format = HazelcastMember.FORMAT_VERSION;
    private final GroupSpec spec;
    private final Outcome outcome;

    ReplayProcessor(GroupSpec spec, Outcome outcome) {
        this.spec = spec;
        this.outcome = outcome;
    }

    @Override
    public Outcome process(Map.Entry<String, GroupState> entry) {
        if (format != HazelcastMember.FORMAT_VERSION || outcome == null) {
            throw new IllegalStateException("a backup in state format " + format + " reached a member that reads "
                    + HazelcastMember.FORMAT_VERSION);
        }
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
