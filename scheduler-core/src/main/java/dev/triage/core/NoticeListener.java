package dev.triage.core;

import java.util.List;

/** Receives the notices a backend pushes to one node: one call per command and node, never per waiter. */
@FunctionalInterface
public interface NoticeListener {

    void onNotices(String group, List<Notice> notices);
}
