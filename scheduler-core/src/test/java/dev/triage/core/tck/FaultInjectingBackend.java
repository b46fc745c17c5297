package dev.triage.core.tck;


import dev.triage.core.spi.Command;
import dev.triage.core.spi.Notice;
import dev.triage.core.spi.NoticeListener;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.SchedulerBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backend as a faulty network shows it: each command delivered twice (a transport that resends after losing
 * the reply; the caller gets the second answer), or grant notices lost on their way to the node (all of them,
 * or each with a probability drawn from a seeded Random). Other notices pass.
 */
public final class FaultInjectingBackend extends ForwardingBackend {

    private final boolean twice;
    private final double grantLoss;
    private final Random random;
    private final AtomicLong resent = new AtomicLong();
    private final AtomicLong grantsLost = new AtomicLong();

    private FaultInjectingBackend(SchedulerBackend inner, boolean twice, double grantLoss, long seed) {
        super(inner);
        this.twice = twice;
        this.grantLoss = grantLoss;
        this.random = new Random(seed);
    }

    public static FaultInjectingBackend deliveringTwice(SchedulerBackend inner) {
        return new FaultInjectingBackend(inner, true, 0, 0);
    }

    public static FaultInjectingBackend losingGrantNotices(SchedulerBackend inner) {
        return new FaultInjectingBackend(inner, false, 1, 0);
    }

    public static FaultInjectingBackend losingGrantNotices(SchedulerBackend inner, double probability, long seed) {
        return new FaultInjectingBackend(inner, false, probability, seed);
    }

    /** Commands sent a second time. */
    public long resent() {
        return resent.get();
    }

    /** Grant notices that never reached their node. */
    public long grantsLost() {
        return grantsLost.get();
    }

    @Override
    public CompletionStage<Outcome> execute(String group, Command command) {
        if (!twice) return inner.execute(group, command);
        return inner.execute(group, command).thenCompose(first -> {
            resent.incrementAndGet();
            return inner.execute(group, command);
        });
    }

    @Override
    public AutoCloseable subscribe(String nodeId, NoticeListener listener) {
        if (grantLoss <= 0) return inner.subscribe(nodeId, listener);
        return inner.subscribe(nodeId, (group, notices) -> {
            List<Notice> delivered = new ArrayList<>();
            for (Notice notice : notices) {
                if (notice instanceof Notice.Granted && lose()) {
                    grantsLost.incrementAndGet();
                } else {
                    delivered.add(notice);
                }
            }
            if (!delivered.isEmpty()) listener.onNotices(group, List.copyOf(delivered));
        });
    }

    private boolean lose() {
        if (grantLoss >= 1) return true;
        synchronized (random) {
            return random.nextDouble() < grantLoss;
        }
    }
}
