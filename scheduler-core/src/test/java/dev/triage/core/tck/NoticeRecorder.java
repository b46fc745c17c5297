package dev.triage.core.tck;


import dev.triage.core.spi.Notice;
import dev.triage.core.spi.NoticeListener;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every batch of notices a node received, in arrival order. */
public final class NoticeRecorder implements NoticeListener {

    public record Batch(String group, List<Notice> notices) {
    }

    private final List<Batch> batches = new CopyOnWriteArrayList<>();

    @Override
    public void onNotices(String group, List<Notice> notices) {
        batches.add(new Batch(group, List.copyOf(notices)));
    }

    public List<Batch> batches() {
        return List.copyOf(batches);
    }

    public List<Notice> all() {
        List<Notice> all = new ArrayList<>();
        for (Batch batch : batches) all.addAll(batch.notices());
        return all;
    }

    public void clear() {
        batches.clear();
    }
}
