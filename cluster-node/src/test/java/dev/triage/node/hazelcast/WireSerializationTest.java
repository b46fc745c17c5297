package dev.triage.node.hazelcast;

import com.hazelcast.config.SerializerConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import dev.triage.core.Deployment;
import dev.triage.core.DeploymentLoad;
import dev.triage.core.EndReason;
import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.Ticket;
import dev.triage.core.Usage;
import dev.triage.core.rules.Change;
import dev.triage.core.rules.GroupRules;
import dev.triage.core.rules.GroupState;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Notice;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import dev.triage.core.tck.FakeClock;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Nothing of ours goes through Java serialization, and a processor in another format never touches the state. */
class WireSerializationTest {

    private static final GroupSpec SPEC = GroupSpec.of("g", Deployment.unlimited("d1").withMaxParallelRequests(2));

    @Test
    void noValueOfOursIsJavaSerializableSoAMissingSerializerFailsLoudly() {
        List<Class<?>> types = new ArrayList<>(List.of(GroupState.class, Outcome.class, GroupSnapshot.class,
                NoticeBatch.class, GroupSpec.class, Deployment.class, DeploymentLoad.class, Ticket.class, Lease.class,
                Usage.class, Command.class, Result.class, Change.class, Notice.class));
        for (Class<?> sealed : List.of(Command.class, Result.class, Change.class, Notice.class)) {
            types.addAll(List.of(sealed.getPermittedSubclasses()));
        }
        for (Class<?> type : types) {
            assertThat(Serializable.class.isAssignableFrom(type)).as("%s is Java-serializable", type).isFalse();
        }
    }

    @Test
    void everyObjectOfOursUsesItsWireSerializer() {
        FakeClock clock = new FakeClock();
        try (LoopbackMembers members = new LoopbackMembers(1, clock)) {
            SerializationService serialization = serialization(members.start(0));
            GroupState state = new GroupState(SPEC, 7);
            Outcome granted = GroupRules.execute(state, new Command.Enqueue("t1", 0, "n1", clock.millis() + 60_000, 5),
                    clock.millis());
            GroupRules.execute(state, new Command.Enqueue("t2", 1, "n1", clock.millis() + 60_000, 5), clock.millis());
            GroupRules.execute(state, new Command.Enqueue("t3", 2, "n2", clock.millis() + 60_000, 5), clock.millis());
            Outcome duplicate = GroupRules.execute(state, new Command.Enqueue("t1", 0, "n1", clock.millis() + 60_000, 5),
                    clock.millis());
            assertThat(duplicate.firstRun()).isEqualTo(granted);
            NoticeBatch notices = new NoticeBatch("g", List.of(new Notice.Granted(granted.grants().get(0)),
                    new Notice.Ended("t9", EndReason.EXPIRED)));

            assertThat(sameAfterRoundTrip(serialization, duplicate, WireSerializers.OUTCOME)).isEqualTo(duplicate);
            assertThat(sameAfterRoundTrip(serialization, state.snapshot(), WireSerializers.GROUP_SNAPSHOT))
                    .isEqualTo(state.snapshot());
            assertThat(sameAfterRoundTrip(serialization, notices, WireSerializers.NOTICE_BATCH)).isEqualTo(notices);
            BatchOutcome batch = new BatchOutcome(java.util.Arrays.asList(granted, null, duplicate),
                    java.util.Arrays.asList(null, "tokens must not be negative", null));
            assertThat(sameAfterRoundTrip(serialization, batch, WireSerializers.BATCH_OUTCOME)).isEqualTo(batch);
            GroupState decoded = sameAfterRoundTrip(serialization, state, WireSerializers.GROUP_STATE);
            assertThat(decoded.snapshot()).isEqualTo(state.snapshot());
            assertThat(GroupRules.execute(decoded, new Command.Enqueue("t1", 0, "n1", clock.millis() + 60_000, 5),
                    clock.millis()).firstRun()).as("a duplicate after decoding still gets its first run").isEqualTo(granted);
            // Processors have no equals: the same bytes after a round trip show nothing was lost.
            for (Object[] processor : List.of(
                    new Object[] {new GroupCommandProcessor(SPEC, List.of(new Command.Cancel("t2"), new Command.Tick()), ""), WireSerializers.GROUP_COMMAND_PROCESSOR},
                    new Object[] {new ReplayProcessor(SPEC, List.of(granted, granted)), WireSerializers.REPLAY_PROCESSOR},
                    new Object[] {new SnapshotProcessor(SPEC), WireSerializers.SNAPSHOT_PROCESSOR},
                    new Object[] {new PingProcessor(), WireSerializers.PING_PROCESSOR})) {
                Data data = serialization.toData(processor[0]);
                assertThat(data.getType()).as("type id of %s", processor[0].getClass()).isEqualTo(processor[1]);
                Object decodedProcessor = serialization.toObject(data);
                assertThat(decodedProcessor).isExactlyInstanceOf(processor[0].getClass());
                assertThat(serialization.toData(decodedProcessor).toByteArray()).isEqualTo(data.toByteArray());
            }
        }
    }

    @Test
    void aCommandFromAMemberOfAnotherFormatIsRefusedBeforeItChangesAnything() throws Exception {
        FakeClock clock = new FakeClock();
        try (LoopbackMembers members = new LoopbackMembers(2, clock)) {
            HazelcastInstance current = members.start(0);
            // A member that writes its commands in format 1 (joined by hand: HazelcastMember.start would refuse it).
            HazelcastInstance older = members.start(1, config -> {
                var serializers = config.getSerializationConfig().getSerializerConfigs();
                serializers.removeIf(s -> s.getTypeClass() == GroupCommandProcessor.class);
                serializers.add(new SerializerConfig().setTypeClass(GroupCommandProcessor.class).setImplementation(
                        new WireSerializer<GroupCommandProcessor>(WireSerializers.GROUP_COMMAND_PROCESSOR,
                                (out, p) -> out.writeInt(1), in -> {
                                    throw new UnsupportedOperationException("writes only");
                                })));
            });
            assertThat(current.getCluster().getMembers()).hasSize(2);
            String group = LoopbackMembers.keyOwnedBy(current);
            GroupSpec spec = GroupSpec.of(group, Deployment.unlimited("d1").withMaxParallelRequests(1));
            IMap<String, GroupState> onCurrent = current.getMap(HazelcastBackend.MAP + ".wire-format-test");
            IMap<String, GroupState> onOlder = older.getMap(HazelcastBackend.MAP + ".wire-format-test");
            long deadline = clock.millis() + 60_000;
            onCurrent.executeOnKey(group,
                    new GroupCommandProcessor(spec, List.of(new Command.Enqueue("t1", 0, "n1", deadline, 1)), ""));
            GroupSnapshot before = onCurrent.submitToKey(group, new SnapshotProcessor(spec)).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);

            assertThatThrownBy(() -> onOlder.executeOnKey(group,
                    new GroupCommandProcessor(spec, List.of(new Command.Enqueue("t2", 0, "n1", deadline, 1)), "")))
                    .hasStackTraceContaining("a command in state format 1 reached a member that reads "
                            + HazelcastMember.FORMAT_VERSION);

            GroupSnapshot after = onCurrent.submitToKey(group, new SnapshotProcessor(spec)).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(after).isEqualTo(before);
            assertThat(after.commit()).isEqualTo(1);
        }
    }

    private static SerializationService serialization(HazelcastInstance member) {
        return ((SerializationServiceSupport) member).getSerializationService();
    }

    /** Checks that {@code value} is written under {@code typeId}, and returns what reading it back gives. */
    @SuppressWarnings("unchecked")
    private static <T> T sameAfterRoundTrip(SerializationService serialization, T value, int typeId) {
        Data data = serialization.toData(value);
        assertThat(data.getType()).as("type id of %s", value.getClass()).isEqualTo(typeId);
        return (T) serialization.toObject(data);
    }
}
