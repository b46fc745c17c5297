package dev.triage.node.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import dev.triage.core.Command;
import dev.triage.core.GroupRules;
import dev.triage.core.GroupSpec;
import dev.triage.core.GroupState;
import dev.triage.core.Outcome;
import dev.triage.core.WireFormat;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs one command where the group's state lives, on its partition thread: the rules decide, the state
 * changes in place (in-memory format OBJECT, so nothing is deserialized), and the backup replica is sent
 * only the recorded decisions ({@link ReplayProcessor}), never this command to decide again.
 */
final class GroupCommandProcessor implements EntryProcessor<String, GroupState, Outcome>, HazelcastInstanceAware {

    private final GroupSpec spec;
    private final Command command;
    private Outcome outcome;
    private HazelcastInstance instance;

    GroupCommandProcessor(GroupSpec spec, Command command) {
        this.spec = spec;
        this.command = command;
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeInt(HazelcastMember.FORMAT_VERSION);
        WireFormat.writeGroupSpec(out, spec);
        WireFormat.writeCommand(out, command);
    }

    /** Refuses a command written in another format before reading it, so it never reaches the state. */
    static GroupCommandProcessor readFrom(DataInput in) throws IOException {
        HazelcastMember.requireFormat(in.readInt(), "a command");
        return new GroupCommandProcessor(WireFormat.readGroupSpec(in), WireFormat.readCommand(in));
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.instance = instance;
    }

    @Override
    public Outcome process(Map.Entry<String, GroupState> entry) {
        // Check the input before anything changes: a bad processor must not half-apply. (Its format was checked
        // when it was read.)
        if (command == null || spec == null || !spec.name().equals(entry.getKey())) {
            throw new IllegalArgumentException("command for group " + entry.getKey() + " is malformed: " + command);
        }
        GroupState state = entry.getValue();
        if (state == null) state = new GroupState(spec, ThreadLocalRandom.current().nextLong() | 1);
        outcome = GroupRules.execute(state, command, StoreTime.now(instance));
        if (!outcome.duplicate()) entry.setValue(state);
        return outcome;
    }

    @Override
    public EntryProcessor<String, GroupState, Outcome> getBackupProcessor() {
        return outcome == null || outcome.duplicate() ? null : new ReplayProcessor(spec, outcome);
    }
}
