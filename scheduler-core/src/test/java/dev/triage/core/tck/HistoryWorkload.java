package dev.triage.core.tck;


import dev.triage.core.Deployment;
import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.RoutingStrategy;
import dev.triage.core.Usage;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import dev.triage.core.spi.SchedulerBackend;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Random traffic for the {@link HistoryChecker}: each thread plays one or more nodes that send what a node may
 * send (enqueues, releases with any usage, retries as release then requeue, cancels, even a cancel that overtakes
 * its enqueue, heartbeats, ticks, drops of any node, releases of leases long gone), while the store clock moves
 * forwards (within a window, across windows, past the lease bound) and backwards. Small groups, so that rpm, tpm,
 * parallel limits, queue size and cooldowns all bind. Seeded: a seed gives the same commands per thread.
 *
 * <p>With {@link Options#rollsConfigs}, players also serve new settings for the group now and then, as nodes
 * reloading a changed config file do (limits raised and lowered under held leases, deployments removed and added
 * back, queue bound, routing and cooldowns changed), and now and then an older config again, as a node not yet
 * rolled does (contract 11). Not with a fault that sends from an answer's callback: a serve waits for the
 * commands in flight on its backend (see {@link History}).
 */
public final class HistoryWorkload {

    /** Long, so that a node stays alive through ordinary clock moves and only long jumps drop it. */
    static final long LEASE_BOUND = 600_000;
    /** Every time drawn is a multiple of this, so that deadlines, cooldown ends and window edges are hit exactly. */
    static final int GRAIN = 250;

    public record Options(int threads, int stepsPerThread, int backwardsPercent, boolean snapshotEveryStep,
                   UnaryOperator<SchedulerBackend> fault, boolean rollsConfigs) {

        public Options(int threads, int stepsPerThread, int backwardsPercent, boolean snapshotEveryStep,
                       UnaryOperator<SchedulerBackend> fault) {
            this(threads, stepsPerThread, backwardsPercent, snapshotEveryStep, fault, false);
        }
    }

    private HistoryWorkload() {
    }

    /** {@code -Dtriage.history.seed=N} runs only seed N; otherwise seeds 1 to {@code count}. */
    static long[] seeds(int count) {
        String one = System.getProperty("triage.history.seed");
        if (one != null) return new long[] {Long.parseLong(one)};
        long[] seeds = new long[count];
        for (int i = 0; i < count; i++) seeds[i] = i + 1;
        return seeds;
    }

    /** Starts the harness with one group per seed, runs each seed in turn and returns what they exercised. */
    static HistorySummary runSeeds(ContractHarness harness, String name, int count, Options options) {
        long[] seeds = seeds(harness.spec().scaled(count));
        GroupSpec[] groups = new GroupSpec[seeds.length];
        for (int i = 0; i < seeds.length; i++) groups[i] = group(name + "-" + seeds[i], seeds[i]);
        harness.start(groups);
        HistorySummary total = HistorySummary.empty();
        for (int i = 0; i < seeds.length; i++) total = total.plus(run(harness, groups[i], seeds[i], options));
        System.out.println(harness.spec().name() + " " + name + ", seeds " + seeds[0] + ".." + seeds[seeds.length - 1]
                + ": " + total);
        return total;
    }

    /** A small group drawn from the seed and the group's name, so that each test draws its own. */
    public static GroupSpec group(String name, long seed) {
        Random r = new Random(name.hashCode() * 31L + seed);
        List<Deployment> deployments = new ArrayList<>();
        int count = 2 + r.nextInt(2);
        for (int i = 1; i <= count; i++) {
            Deployment d = Deployment.unlimited("d" + i).withRpm(4 + r.nextInt(14))
                    .withMaxParallelRequests(1 + r.nextInt(3)).withWeight(1 + r.nextInt(3))
                    .withOrder(r.nextInt(4) == 0 ? 2 : 1);
            deployments.add(r.nextInt(3) > 0 ? d.withTpm(1_500 + r.nextInt(3_000)) : d);
        }
        RoutingStrategy routing = RoutingStrategy.values()[r.nextInt(RoutingStrategy.values().length)];
        return new GroupSpec(name, deployments, routing, 5 + r.nextInt(25), r.nextInt(3), GRAIN * (4 + r.nextInt(80)),
                LEASE_BOUND);
    }

    public static HistorySummary run(ContractHarness harness, GroupSpec group, long seed, Options options) {
        History history = new History();
        Map<String, Lease> grantedTo = new ConcurrentHashMap<>();
        SchedulerBackend[] via = new SchedulerBackend[options.threads()];
        for (int i = 0; i < via.length; i++) {
            via[i] = options.fault().apply(history.recording(harness.member(i), entry -> learn(grantedTo, entry)));
        }
        Configs configs = new Configs(group);
        try {
            settle(via, harness.members(), harness.clock(), group.name());
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < via.length; i++) {
                String[] nodes = via.length == 1 ? new String[] {"n0", "n1", "n2", "n3"} : new String[] {"n" + i};
                int allNodes = Math.max(4, via.length);
                Random random = new Random((group.name().hashCode() * 31L + seed) * 1_000 + i);
                Player player = new Player(via[i], harness.clock(), group.name(), nodes, allNodes, random, grantedTo,
                        options, history, configs);
                threads.add(new Thread(() -> {
                    try {
                        start.await();
                        for (int step = 0; step < options.stepsPerThread(); step++) player.step();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "history-" + group.name() + "-" + i));
            }
            threads.forEach(Thread::start);
            start.countDown();
            for (Thread t : threads) {
                t.join(120_000);
                if (t.isAlive()) failures.add(new AssertionError(t.getName() + " still running after two minutes"));
            }
            if (!failures.isEmpty()) throw new AssertionError("a player failed", failures.peek());
            GroupSnapshot last = harness.snapshot(group.name());
            return HistoryChecker.check(history, List.of(group), g -> last);
        } catch (AssertionError | InterruptedException e) {
            throw new AssertionError("seed " + seed + " failed (rerun just it: -Dtriage.history.seed=" + seed + "), "
                    + group + ":\n" + e.getMessage(), e);
        }
    }

    /**
     * A backend runs Ticks of its own when an outcome's nextEventAt comes due, and the history cannot see them.
     * The in-memory and Hazelcast backends time a group's tick, per member, in real milliseconds from the store
     * clock's distance to the event, and only ever move it earlier; so every member the players use first schedules
     * one a lease bound away (the node holding the first grant falls silent then), and the clock then reaches that
     * moment: every later event lies after the pending ticks, which therefore stay ten minutes off. On the way, the
     * node is dropped exactly at its lease bound.
     */
    private static void settle(SchedulerBackend[] via, int members, FakeClock clock, String group) {
        long start = clock.millis();
        ContractHarness.run(via[0], group, new Command.Enqueue("settle", 0, "n0", start + 10 * LEASE_BOUND, 0));
        for (int i = 1; i < Math.min(via.length, members); i++) {
            ContractHarness.run(via[i], group, new Command.RenewNode("n0"));
        }
        clock.set(start + LEASE_BOUND);
        ContractHarness.run(via[0], group, new Command.Tick());
    }

    /** Every player learns the grants any command made, as a node would from its notices. */
    private static void learn(Map<String, Lease> grantedTo, HistoryEntry entry) {
        if (entry.duplicate()) return;
        for (Lease lease : entry.outcome().grants()) grantedTo.put(lease.ticketId(), lease);
    }

    /** The configs the players have loaded so far, in version order: the first is the group's starting one. */
    private static final class Configs {
        private final List<GroupSpec> loaded = new ArrayList<>();
        private long lastLoadedAt;

        Configs(GroupSpec initial) {
            loaded.add(initial);
        }

        /** New settings, changed from the latest in one or two ways, as a newer config file. */
        synchronized GroupSpec next(Random random) {
            GroupSpec latest = loaded.get(loaded.size() - 1);
            GroupSpec next = latest;
            for (int changes = 1 + random.nextInt(2); changes > 0; changes--) next = changed(next, random);
            next = next.loadedAt(++lastLoadedAt);
            loaded.add(next);
            return next;
        }

        /** Any config loaded before the latest: what a node not yet rolled still serves. */
        synchronized GroupSpec older(Random random) {
            return loaded.get(random.nextInt(Math.max(1, loaded.size() - 1)));
        }

        private static GroupSpec changed(GroupSpec spec, Random r) {
            List<Deployment> deployments = new ArrayList<>(spec.deployments());
            Deployment some = deployments.get(r.nextInt(deployments.size()));
            int index = deployments.indexOf(some);
            int queue = spec.maxQueueSize();
            RoutingStrategy routing = spec.routing();
            int fails = spec.allowedFails();
            long cooldown = spec.cooldownMillis();
            switch (r.nextInt(7)) {
                case 0 -> deployments.set(index, some.withMaxParallelRequests(1 + r.nextInt(4)));
                case 1 -> deployments.set(index, some.withRpm(2 + r.nextInt(16)));
                case 2 -> deployments.set(index, r.nextBoolean() ? some.withTpm(1_000 + r.nextInt(3_000))
                        : some.withTpm(Deployment.UNLIMITED).withOrder(1 + r.nextInt(2)));
                case 3 -> {
                    if (deployments.size() > 1) deployments.remove(index);
                }
                case 4 -> {
                    // Added afresh or added back: d1 to d5, whichever the settings lack.
                    String id = "d" + (1 + r.nextInt(5));
                    if (spec.deployment(id) == null) {
                        deployments.add(Deployment.unlimited(id).withRpm(4 + r.nextInt(14))
                                .withMaxParallelRequests(1 + r.nextInt(3)).withWeight(1 + r.nextInt(3)));
                    }
                }
                case 5 -> queue = 3 + r.nextInt(25);
                default -> {
                    routing = RoutingStrategy.values()[r.nextInt(RoutingStrategy.values().length)];
                    fails = r.nextInt(3);
                    cooldown = GRAIN * (4 + r.nextInt(80));
                }
            }
            return new GroupSpec(spec.name(), deployments, routing, queue, fails, cooldown, spec.leaseBoundMillis());
        }
    }

    /** A ticket as its node sees it. */
    private static final class Mine {
        final String id;
        final String node;
        final long priority;
        final long deadline;
        final long tokens;
        final Set<String> avoid = new HashSet<>();
        Lease lease;
        String failedLease;

        Mine(String id, String node, long priority, long deadline, long tokens) {
            this.id = id;
            this.node = node;
            this.priority = priority;
            this.deadline = deadline;
            this.tokens = tokens;
        }
    }

    private static final class Player {
        private final SchedulerBackend backend;
        private final FakeClock clock;
        private final String group;
        private final String[] nodes;
        private final int allNodes;
        private final Random random;
        private final Map<String, Lease> grantedTo;
        private final Options options;
        private final History history;
        private final Configs configs;
        private final List<Mine> waiting = new ArrayList<>();
        private final List<Mine> held = new ArrayList<>();
        private final List<String> released = new ArrayList<>();
        private int tickets;
        private int retries;
        private long storeNow = Long.MIN_VALUE;

        Player(SchedulerBackend backend, FakeClock clock, String group, String[] nodes, int allNodes, Random random,
               Map<String, Lease> grantedTo, Options options, History history, Configs configs) {
            this.backend = backend;
            this.clock = clock;
            this.group = group;
            this.nodes = nodes;
            this.allNodes = allNodes;
            this.random = random;
            this.grantedTo = grantedTo;
            this.options = options;
            this.history = history;
            this.configs = configs;
        }

        void step() {
            for (Mine m : new ArrayList<>(waiting)) {
                Lease lease = grantedTo.get(m.id);
                if (lease != null && !lease.id().equals(m.failedLease)) {
                    m.lease = lease;
                    waiting.remove(m);
                    held.add(m);
                }
            }
            if (options.rollsConfigs() && random.nextInt(100) < 2) {
                GroupSpec settings = random.nextInt(4) == 0 ? configs.older(random) : configs.next(random);
                backend.serve(List.of(settings));
                return;
            }
            int roll = random.nextInt(100);
            boolean nothingToEnd = roll >= 25 && (roll < 50 ? held.isEmpty() : roll < 57 && waiting.isEmpty());
            if (roll < 25 || nothingToEnd) {
                enqueue(false);
            } else if (roll < 44) {
                release(held.remove(random.nextInt(held.size())), usage());
            } else if (roll < 50) {
                retry(held.remove(random.nextInt(held.size())));
            } else if (roll < 57) {
                Mine m = waiting.remove(random.nextInt(waiting.size()));
                send(new Command.Cancel(m.id));
            } else if (roll < 60) {
                send(new Command.Tick());
            } else if (roll < 68) {
                send(new Command.RenewNode(node()));
            } else if (roll < 70) {
                send(new Command.DropNode("n" + random.nextInt(allNodes)));
            } else if (roll < 72) {
                String stale = released.isEmpty() || random.nextBoolean() ? "ghost-" + random.nextInt(1_000)
                        : released.get(random.nextInt(released.size()));
                send(new Command.Release(stale, usage()));
            } else if (roll < 74) {
                enqueue(true);
            } else {
                moveClock();
            }
        }

        private void enqueue(boolean cancelledFirst) {
            String node = node();
            int p = random.nextInt(50);
            long priority = p == 0 ? Long.MIN_VALUE : p == 1 ? Long.MAX_VALUE : random.nextInt(7) - 2;
            // From the later of the clock and the store's time: a clock set back must not expire everything at once.
            long deadline = Math.max(clock.millis(), storeNow)
                    + GRAIN * (random.nextInt(30) == 0 ? -4 : 1 + random.nextInt(960));
            long tokens = random.nextInt(30) == 0 ? 50_000 : random.nextInt(900);
            Mine m = new Mine(node + "." + tickets++, node, priority, deadline, tokens);
            // A cancel that overtook its own enqueue: the enqueue must be refused, not left behind.
            if (cancelledFirst) send(new Command.Cancel(m.id));
            admitted(m, send(new Command.Enqueue(m.id, priority, node, deadline, tokens)).result());
        }

        private void release(Mine m, Usage usage) {
            send(new Command.Release(m.lease.id(), usage));
            grantedTo.remove(m.id, m.lease);
            released.add(m.lease.id());
        }

        /** As NodeScheduler.retry: release the failed attempt, then queue the same ticket avoiding its deployment. */
        private void retry(Mine m) {
            Lease failed = m.lease;
            release(m, random.nextBoolean() ? Usage.failed() : Usage.rateLimited(random.nextInt(2) * 20L * GRAIN));
            m.failedLease = failed.id();
            m.lease = null;
            m.avoid.add(failed.deploymentId());
            Command requeue = new Command.Requeue(m.id + "#" + ++retries, m.id, m.priority, failed.arrival(), m.node,
                    m.deadline, m.tokens, m.avoid);
            admitted(m, send(requeue).result());
        }

        private void admitted(Mine m, Result result) {
            if (result instanceof Result.Granted g) {
                m.lease = g.lease();
                held.add(m);
            } else if (result instanceof Result.Queued) {
                waiting.add(m);
            }
        }

        private Usage usage() {
            int u = random.nextInt(100);
            if (u < 55) return Usage.succeeded(random.nextInt(1_000));
            if (u < 70) return Usage.failed();
            if (u < 80) return Usage.rateLimited(random.nextBoolean() ? 0 : GRAIN * (1 + random.nextInt(120)));
            return Usage.notDispatched();
        }

        private void moveClock() {
            if (random.nextInt(100) < options.backwardsPercent()) {
                clock.advance(-GRAIN * (1 + random.nextInt(360)));
                return;
            }
            int kind = random.nextInt(100);
            if (kind < 70) {
                clock.advance(GRAIN * random.nextInt(8));
            } else if (kind < 98) {
                clock.advance(GRAIN * (20 + random.nextInt(260)));
            } else {
                clock.advance(LEASE_BOUND / 2 + GRAIN * random.nextInt((int) (LEASE_BOUND / GRAIN)));
            }
        }

        private String node() {
            return nodes[random.nextInt(nodes.length)];
        }

        private Outcome send(Command command) {
            Outcome outcome = ContractHarness.run(backend, group, command);
            storeNow = Math.max(storeNow, outcome.now());
            if (options.snapshotEveryStep()) {
                try {
                    history.attach(backend.snapshot(group).toCompletableFuture().get(30, TimeUnit.SECONDS));
                } catch (Exception e) {
                    throw new AssertionError("snapshot of " + group + " failed", e);
                }
            }
            return outcome;
        }
    }
}
