package dev.triage.core.rules;

import dev.triage.core.Lease;
import dev.triage.core.Ticket;
import dev.triage.core.Usage;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Random commands against one state, as nodes would send them, duplicates and reconciles included. */
final class RandomCommands {
    static final List<String> NODES = List.of("n0", "n1", "n2");
    final Random random;
    final List<Lease> leases = new ArrayList<>();
    final List<Command> sent = new ArrayList<>();
    long now = 1_800_000_000_000L;
    int step;
    int duplicatesWithFirstRun;

    RandomCommands(long seed) {
        random = new Random(seed);
    }

    void step(GroupState state) {
        Command command = next(state);
        track(state, GroupRules.execute(state, command, now));
    }

    void track(GroupState state, Outcome outcome) {
        leases.addAll(outcome.grants());
        if (outcome.result() instanceof Result.Granted g) leases.add(g.lease());
        leases.removeIf(l -> state.lease(l.id()) == null);
        if (outcome.firstRun() != null) duplicatesWithFirstRun++;
    }

    Command next(GroupState state) {
        step++;
        now += random.nextInt(400) - (random.nextInt(50) == 0 ? 5_000 : 0);
        Command command = pick(state);
        sent.add(command);
        return command;
    }

    private Command pick(GroupState state) {
        String node = NODES.get(random.nextInt(NODES.size()));
        int kind = random.nextInt(12);
        if (kind == 10 && !sent.isEmpty()) return sent.get(Math.max(0, sent.size() - 1 - random.nextInt(40)));
        if (kind == 11) return reconcile(state, node);
        if (kind < 4 || kind >= 10 || leases.isEmpty()) {
            return new Command.Enqueue("t" + step, random.nextInt(5), node, now + 1_000 + random.nextInt(20_000),
                    random.nextInt(300));
        }
        Lease lease = leases.get(random.nextInt(leases.size()));
        return switch (kind) {
            case 4, 5 -> new Command.Release(lease.id(), switch (random.nextInt(4)) {
                case 0 -> Usage.failed();
                case 1 -> Usage.rateLimited(random.nextInt(5_000));
                case 2 -> Usage.notDispatched();
                default -> Usage.succeeded(random.nextInt(400));
            });
            case 6 -> new Command.Cancel("t" + random.nextInt(step));
            case 7 -> new Command.RenewNode(node);
            case 8 -> random.nextInt(10) == 0 ? new Command.DropNode(node) : new Command.Tick();
            default -> new Command.Requeue("r" + step, lease.ticketId(), lease.priority(), lease.arrival(), node,
                    now + 5_000, 0, random.nextBoolean() ? Set.of(lease.deploymentId()) : Set.of());
        };
    }

    /** A digest (sometimes off by one), or the full lists with a ticket the store never saw. */
    private Command reconcile(GroupState state, String node) {
        long epoch = random.nextInt(8) == 0 ? 0 : state.epoch();
        if (random.nextBoolean()) {
            return Command.Reconcile.digest(node, epoch, state.waitingOf(node) + random.nextInt(2),
                    state.leaseCountOf(node));
        }
        List<Ticket> waiting = new ArrayList<>(state.waitingTickets().stream().filter(t -> t.nodeId().equals(node)).toList());
        waiting.add(new Ticket("lost" + step, 1, 0, node, now + 9_000, 10, new HashSet<>(List.of("d2"))));
        List<Lease> held = leases.stream().filter(l -> l.nodeId().equals(node)).toList();
        return new Command.Reconcile(node, epoch, waiting, held);
    }
}
