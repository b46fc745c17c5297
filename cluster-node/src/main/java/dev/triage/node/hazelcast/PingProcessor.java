package dev.triage.node.hazelcast;

import com.hazelcast.map.EntryProcessor;
import dev.triage.core.GroupState;

import java.util.Map;

/** Touches a group's entry and changes nothing: proves that this member can reach the state right now. */
final class PingProcessor implements EntryProcessor<String, GroupState, Boolean> {

    private static final long serialVersionUID = 1;

    @Override
    public Boolean process(Map.Entry<String, GroupState> entry) {
        return Boolean.TRUE;
    }

    @Override
    public EntryProcessor<String, GroupState, Boolean> getBackupProcessor() {
        return null;
    }
}
