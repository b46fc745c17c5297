package dev.triage.node.hazelcast;


import dev.triage.core.spi.Notice;
import dev.triage.core.wire.WireFormat;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/** One command's notices for one node: the single message a grant costs. */
record NoticeBatch(String group, List<Notice> notices) {

    NoticeBatch {
        notices = List.copyOf(notices);
    }

    void writeTo(DataOutput out) throws IOException {
        WireFormat.writeString(out, group);
        WireFormat.writeList(out, notices, WireFormat::writeNotice);
    }

    static NoticeBatch readFrom(DataInput in) throws IOException {
        return new NoticeBatch(WireFormat.readString(in, "NoticeBatch.group"),
                WireFormat.readList(in, WireFormat::readNotice, "notices"));
    }
}
