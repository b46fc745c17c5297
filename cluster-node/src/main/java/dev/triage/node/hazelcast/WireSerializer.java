package dev.triage.node.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import dev.triage.core.wire.WireFormat;

import java.io.IOException;

/** A Hazelcast serializer that writes one type in {@link WireFormat}: Hazelcast's streams are DataOutput/DataInput. */
final class WireSerializer<T> implements StreamSerializer<T> {

    private final int typeId;
    private final WireFormat.Writer<T> writer;
    private final WireFormat.Reader<T> reader;

    WireSerializer(int typeId, WireFormat.Writer<T> writer, WireFormat.Reader<T> reader) {
        this.typeId = typeId;
        this.writer = writer;
        this.reader = reader;
    }

    @Override
    public int getTypeId() {
        return typeId;
    }

    @Override
    public void write(ObjectDataOutput out, T value) throws IOException {
        writer.write(out, value);
    }

    @Override
    public T read(ObjectDataInput in) throws IOException {
        return reader.read(in);
    }
}
