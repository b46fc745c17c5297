package dev.triage.node.hazelcast;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import dev.triage.core.GroupSnapshot;
import dev.triage.core.rules.GroupState;
import dev.triage.core.spi.Outcome;
import dev.triage.core.wire.WireFormat;

/**
 * Every object of ours that Hazelcast stores or sends, with its serializer and type id: the group state (on
 * migration and replica sync), the entry processors and their answers, and the notices on the topics. The
 * values are not Java-serializable, so a value type missing here fails loudly instead of falling back to Java
 * serialization (the processors are, as every EntryProcessor is, but each carries values).
 */
final class WireSerializers {

    static final int GROUP_STATE = 7_401;
    static final int GROUP_COMMAND_PROCESSOR = 7_402;
    static final int REPLAY_PROCESSOR = 7_403;
    static final int SNAPSHOT_PROCESSOR = 7_404;
    static final int PING_PROCESSOR = 7_405;
    static final int OUTCOME = 7_406;
    static final int GROUP_SNAPSHOT = 7_407;
    static final int NOTICE_BATCH = 7_408;
    static final int BATCH_OUTCOME = 7_409;

    private WireSerializers() {
    }

    static void register(SerializationConfig config) {
        add(config, GroupState.class, GROUP_STATE, (out, state) -> state.writeTo(out), GroupState::readFrom);
        add(config, GroupCommandProcessor.class, GROUP_COMMAND_PROCESSOR, (out, p) -> p.writeTo(out),
                GroupCommandProcessor::readFrom);
        add(config, ReplayProcessor.class, REPLAY_PROCESSOR, (out, p) -> p.writeTo(out), ReplayProcessor::readFrom);
        add(config, SnapshotProcessor.class, SNAPSHOT_PROCESSOR, (out, p) -> p.writeTo(out), SnapshotProcessor::readFrom);
        add(config, PingProcessor.class, PING_PROCESSOR, (out, p) -> p.writeTo(out), PingProcessor::readFrom);
        add(config, Outcome.class, OUTCOME, WireFormat::writeOutcome, WireFormat::readOutcome);
        add(config, GroupSnapshot.class, GROUP_SNAPSHOT, WireFormat::writeGroupSnapshot, WireFormat::readGroupSnapshot);
        add(config, NoticeBatch.class, NOTICE_BATCH, (out, batch) -> batch.writeTo(out), NoticeBatch::readFrom);
        add(config, BatchOutcome.class, BATCH_OUTCOME, (out, batch) -> batch.writeTo(out), BatchOutcome::readFrom);
    }

    private static <T> void add(SerializationConfig config, Class<T> type, int typeId, WireFormat.Writer<T> writer,
                                WireFormat.Reader<T> reader) {
        config.addSerializerConfig(new SerializerConfig().setTypeClass(type)
                .setImplementation(new WireSerializer<>(typeId, writer, reader)));
    }
}
