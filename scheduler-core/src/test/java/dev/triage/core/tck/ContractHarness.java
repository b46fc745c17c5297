package dev.triage.core.tck;


import dev.triage.core.Deployment;
import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.Usage;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import dev.triage.core.spi.SchedulerBackend;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What every contract test works with: a fake clock, the backend under test and short ways to send
 * commands. Node {@code "n<i>"} sends its commands through member {@code i % members}, so a multi-member
 * backend runs each contract with commands arriving at different members.
 */
public final class ContractHarness implements AutoCloseable {

    public static final String GROUP = "gpt-4o";
    /** Ten minutes, LiteLLM's default queue wait is longer; long enough that nothing expires by accident. */
    public static final long WAIT = 600_000;
    public static final long LONG_LEASE_BOUND = 3_600_000;

    private final BackendSpec spec;
    private final FakeClock clock = new FakeClock();
    private BackendFixture fixture;

    public ContractHarness(BackendSpec spec) {
        this.spec = spec;
    }

    public BackendSpec spec() {
        return spec;
    }

    public FakeClock clock() {
        return clock;
    }

    public static Deployment slots(String id, int maxParallel) {
        return Deployment.unlimited(id).withMaxParallelRequests(maxParallel);
    }

    /** Starts the backend with these groups (once per test). */
    public ContractHarness start(GroupSpec... groups) {
        if (fixture != null) throw new IllegalStateException("already started");
        try {
            fixture = spec.factory().start(List.of(groups), clock);
        } catch (Exception e) {
            throw new IllegalStateException("could not start " + spec.name(), e);
        }
        return this;
    }

    /**
     * Starts one group named {@link #GROUP} with these deployments and defaults otherwise, except a lease bound
     * of an hour: tests that move the clock by minutes would otherwise see every node dropped as silent.
     */
    public ContractHarness start(Deployment... deployments) {
        return start(group(deployments));
    }

    public static GroupSpec group(Deployment... deployments) {
        return GroupSpec.of(GROUP, deployments).withLeaseBound(LONG_LEASE_BOUND);
    }

    public int members() {
        return fixture.members();
    }

    public SchedulerBackend member(int index) {
        return fixture.member(index % fixture.members());
    }

    /** The member a node id like {@code n2} talks to. */
    public SchedulerBackend memberOf(String nodeId) {
        int index = nodeId.startsWith("n") ? Integer.parseInt(nodeId.substring(1)) : 0;
        return member(index);
    }

    public Outcome run(String nodeId, Command command) {
        return run(memberOf(nodeId), GROUP, command);
    }

    public Outcome run(String group, String nodeId, Command command) {
        return run(memberOf(nodeId), group, command);
    }

    public static Outcome run(SchedulerBackend backend, String group, Command command) {
        try {
            return backend.execute(group, command).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("command " + command + " failed", e);
        }
    }

    public Outcome enqueue(String ticketId, long priority) {
        return enqueue("n0", ticketId, priority);
    }

    public Outcome enqueue(String nodeId, String ticketId, long priority) {
        return run(nodeId, new Command.Enqueue(ticketId, priority, nodeId, clock.millis() + WAIT, 0));
    }

    public Outcome enqueue(String nodeId, String ticketId, long priority, long deadline, long tokens) {
        return run(nodeId, new Command.Enqueue(ticketId, priority, nodeId, deadline, tokens));
    }

    public Outcome release(String leaseId) {
        return release(leaseId, Usage.succeeded(0));
    }

    public Outcome release(String leaseId, Usage usage) {
        return run("n0", new Command.Release(leaseId, usage));
    }

    public Outcome cancel(String ticketId) {
        return run("n0", new Command.Cancel(ticketId));
    }

    public Outcome tick() {
        return run("n0", new Command.Tick());
    }

    public GroupSnapshot snapshot() {
        return snapshot(GROUP);
    }

    public GroupSnapshot snapshot(String group) {
        try {
            return member(0).snapshot(group).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("snapshot of " + group + " failed", e);
        }
    }

    /** The lease an outcome granted its own ticket, or an assertion error saying what happened instead. */
    public static Lease granted(Outcome outcome) {
        if (outcome.result() instanceof Result.Granted g) return g.lease();
        throw new AssertionError("expected a grant, got " + outcome.result());
    }

    /** The ticket ids an outcome granted, in grant order. */
    public static List<String> grantedTickets(Outcome outcome) {
        return outcome.grants().stream().map(Lease::ticketId).toList();
    }

    /** Subscribes a recorder for a node's notices on its member. */
    public NoticeRecorder notices(String nodeId) {
        NoticeRecorder recorder = new NoticeRecorder();
        memberOf(nodeId).subscribe(nodeId, recorder);
        return recorder;
    }

    @Override
    public void close() {
        if (fixture != null) fixture.close();
    }
}
