package dev.triage.node.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import dev.triage.core.GroupSpec;
import dev.triage.core.rules.GroupRules;
import dev.triage.core.rules.GroupState;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.wire.WireFormat;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs a batch of commands where the group's state lives, on its partition thread, one after the other under
 * one reading of the clock: the rules decide each, the state changes in place (in-memory format OBJECT, so
 * nothing is deserialized), and the backup replica is sent only the recorded decisions ({@link ReplayProcessor}),
 * never the commands to decide again. Each command keeps its own operation id, outcome and idempotence; one the
 * rules refuse whole (malformed) is answered with its refusal and the others still run. The backend of the member
 * that ran the batch (the key's owner) pushes the batch's notices to their nodes and, when the state says a timed
 * event is due, schedules the tick.
 */
final class GroupCommandProcessor implements EntryProcessor<String, GroupState, BatchOutcome>, HazelcastInstanceAware {

    private final GroupSpec spec;
    private final List<Command> commands;
    private final String namespace;
    private BatchOutcome outcome;
    private HazelcastInstance instance;

    /** @param namespace the sending backend's, naming the backend on the owner that ticks the group */
    GroupCommandProcessor(GroupSpec spec, List<Command> commands, String namespace) {
        this.spec = spec;
        this.commands = List.copyOf(commands);
        this.namespace = namespace;
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeInt(HazelcastMember.FORMAT_VERSION);
        WireFormat.writeGroupSpec(out, spec);
        WireFormat.writeList(out, commands, WireFormat::writeCommand);
        WireFormat.writeString(out, namespace);
    }

    /** Refuses commands written in another format before reading them, so they never reach the state. */
    static GroupCommandProcessor readFrom(DataInput in) throws IOException {
        HazelcastMember.requireFormat(in.readInt(), "a command");
        return new GroupCommandProcessor(WireFormat.readGroupSpec(in),
                WireFormat.readList(in, WireFormat::readCommand, "commands"), WireFormat.readString(in, "namespace"));
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.instance = instance;
    }

    @Override
    public BatchOutcome process(Map.Entry<String, GroupState> entry) {
        if (spec == null || !spec.name().equals(entry.getKey())) {
            throw new IllegalArgumentException("commands for group " + entry.getKey() + " name group "
                    + (spec == null ? null : spec.name()));
        }
        GroupState state = entry.getValue();
        if (state == null) state = new GroupState(spec, ThreadLocalRandom.current().nextLong() | 1);
        long now = StoreTime.now(instance);
        List<Outcome> outcomes = new ArrayList<>(commands.size());
        List<String> refusals = new ArrayList<>(commands.size());
        boolean changed = false;
        for (Command command : commands) {
            try {
                // The rules check a command whole before changing anything, so a refusal leaves the state as it was.
                Outcome one = GroupRules.execute(state, command, now, spec);
                outcomes.add(one);
                refusals.add(null);
                changed |= !one.duplicate();
            } catch (IllegalArgumentException malformed) {
                outcomes.add(null);
                refusals.add(String.valueOf(malformed.getMessage()));
            }
        }
        if (changed) entry.setValue(state);
        outcome = new BatchOutcome(outcomes, refusals);
        Object backend = instance == null ? null : instance.getUserContext().get(HazelcastBackend.contextKey(namespace));
        if (backend instanceof HazelcastBackend owner) {
            // The store pushes its grants from where it decided them: a hop back to the sender and on is saved.
            owner.pushAsOwner(entry.getKey(), outcome.notices(commands));
            long next = outcome.nextEventAt();
            if (next != Long.MAX_VALUE) owner.tickAsOwner(entry.getKey(), next);
            return outcome.withNoticesPushed();
        }
        return outcome;
    }

    @Override
    public EntryProcessor<String, GroupState, BatchOutcome> getBackupProcessor() {
        if (outcome == null) return null;
        List<Outcome> changes = outcome.changing();
        return changes.isEmpty() ? null : new ReplayProcessor(spec, changes);
    }
}
