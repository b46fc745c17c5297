package dev.triage.node.hazelcast;

import dev.triage.core.Notice;

import java.io.Serializable;
import java.util.List;

/** One command's notices for one node: the single message a grant costs. */
record NoticeBatch(String group, List<Notice> notices) implements Serializable {

    NoticeBatch {
        notices = List.copyOf(notices);
    }
}
