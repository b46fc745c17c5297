package dev.triage.core.tck;


import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.NoticeListener;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.SchedulerBackend;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * A backend in front of another that passes every call through; a test's wrapper overrides only what it watches
 * or changes. The backend underneath belongs to whoever made it, so closing the wrapper closes nothing.
 */
public abstract class ForwardingBackend implements SchedulerBackend {

    protected final SchedulerBackend inner;

    protected ForwardingBackend(SchedulerBackend inner) {
        this.inner = inner;
    }

    @Override
    public CompletionStage<Outcome> execute(String group, Command command) {
        return inner.execute(group, command);
    }

    @Override
    public void serve(Collection<GroupSpec> specs) {
        inner.serve(specs);
    }

    @Override
    public CompletionStage<GroupSnapshot> snapshot(String group) {
        return inner.snapshot(group);
    }

    @Override
    public AutoCloseable subscribe(String nodeId, NoticeListener listener) {
        return inner.subscribe(nodeId, listener);
    }

    @Override
    public Set<String> groups() {
        return inner.groups();
    }

    @Override
    public long now() {
        return inner.now();
    }

    @Override
    public void close() {
    }
}
