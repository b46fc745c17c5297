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
 * only the recorded decisions ({@link ReplayProcessor}), never this command to decide again. When the outcome
 * says a timed event is due, the backend of the member that ran it (the key's owner) schedules the tick, whoever
 * sent the command.
 */
final class GroupCommandProcessor implements EntryProcessor<String, GroupState, Outcome>, HazelcastInstanceAware {

    private final GroupSpec spec;
    private final Command command;
    private final String namespace;
    private Outcome outcome;
    private HazelcastInstance instance;

    /** @param namespace the sending backend's, naming the backend on the owner that ticks the group */
    GroupCommandProcessor(GroupSpec spec, Command command, String namespace) {
        this.spec = spec;
        this.command = command;
        this.namespace = namespace;
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeInt(HazelcastMember.FORMAT_VERSION);
        WireFormat.writeGroupSpec(out, spec);
        WireFormat.writeCommand(out, command);
        WireFormat.writeString(out, namespace);
    }

    /** Refuses a command written in another format before reading it, so it never reaches the state. */
    static GroupCommandProcessor readFrom(DataInput in) throws IOException {
        HazelcastMember.requireFormat(in.readInt(), "a command");
        return new GroupCommandProcessor(WireFormat.readGroupSpec(in), WireFormat.readCommand(in),
                WireFormat.readString(in, "namespace"));
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
        if (outcome.nextEventAt() != Long.MAX_VALUE && instance != null) {
            Object backend = instance.getUserContext().get(HazelcastBackend.contextKey(namespace));
            if (backend instanceof HazelcastBackend owner) owner.tickAsOwner(entry.getKey(), outcome.nextEventAt());
        }
        return outcome;
    }

    @Override
    public EntryProcessor<String, GroupState, Outcome> getBackupProcessor() {
        return outcome == null || outcome.duplicate() ? null : new ReplayProcessor(spec, outcome);
    }
}
