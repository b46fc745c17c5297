package dev.triage.node.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import dev.triage.core.Command;
import dev.triage.core.GroupRules;
import dev.triage.core.GroupSpec;
import dev.triage.core.GroupState;
import dev.triage.core.Outcome;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs one command where the group's state lives, on its partition thread: the rules decide, the state
 * changes in place (in-memory format OBJECT, so nothing is deserialized), and the backup replica is sent
 * only the recorded decisions ({@link ReplayProcessor}), never this command to decide again.
 */
final class GroupCommandProcessor implements EntryProcessor<String, GroupState, Outcome>, HazelcastInstanceAware {

    private static final long serialVersionUID = 1;

    private final int format = HazelcastMember.FORMAT_VERSION;
    private final GroupSpec spec;
    private final Command command;
    private transient Outcome outcome;
    private transient HazelcastInstance instance;

    GroupCommandProcessor(GroupSpec spec, Command command) {
        this.spec = spec;
        this.command = command;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.instance = instance;
    }

    @Override
    public Outcome process(Map.Entry<String, GroupState> entry) {
        // Check the input before anything changes: a bad processor must not half-apply.
        if (format != HazelcastMember.FORMAT_VERSION) {
            throw new IllegalStateException("a command in state format " + format + " reached a member that reads "
                    + HazelcastMember.FORMAT_VERSION);
        }
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
