package dev.triage.core.tck;

import dev.triage.core.spi.SchedulerBackend;


/**
 * One running backend as a test sees it: one or more members sharing the same group states. Commands sent
 * through different members must behave as if sent through one.
 */
public interface BackendFixture extends AutoCloseable {

    int members();

    SchedulerBackend member(int index);

    @Override
    void close();

    static BackendFixture single(SchedulerBackend backend) {
        return new BackendFixture() {
            @Override
            public int members() {
                return 1;
            }

            @Override
            public SchedulerBackend member(int index) {
                return backend;
            }

            @Override
            public void close() {
                backend.close();
            }
        };
    }
}
