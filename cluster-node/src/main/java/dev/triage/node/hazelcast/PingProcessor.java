package dev.triage.node.hazelcast;

import com.hazelcast.map.EntryProcessor;
import dev.triage.core.rules.GroupState;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;

/** Touches a group's entry and changes nothing: proves that this member can reach the state right now. */
final class PingProcessor implements EntryProcessor<String, GroupState, Boolean> {

    void writeTo(DataOutput out) throws IOException {
        out.writeInt(HazelcastMember.FORMAT_VERSION);
    }

    /** A ping from a member of another format fails: that member must not count itself in contact. */
    static PingProcessor readFrom(DataInput in) throws IOException {
        HazelcastMember.requireFormat(in.readInt(), "a ping");
        return new PingProcessor();
    }

    @Override
    public Boolean process(Map.Entry<String, GroupState> entry) {
        return Boolean.TRUE;
    }

    @Override
    public EntryProcessor<String, GroupState, Boolean> getBackupProcessor() {
        return null;
    }
}
