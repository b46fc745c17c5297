package dev.triage.node.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import dev.triage.config.ClusterSettings;
import dev.triage.core.spi.StoreClock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Members of one cluster on 127.0.0.1 (TCP-IP join, no multicast), started one at a time, for tests that grow
 * or shrink a cluster, or give one member a config of its own. Every member reads the same injected clock.
 */
final class LoopbackMembers implements AutoCloseable {

    private final String name = "triage-wire-" + UUID.randomUUID();
    private final int slots;
    private final StoreClock clock;
    private final List<HazelcastInstance> started = new ArrayList<>();
    private int basePort;

    LoopbackMembers(int slots, StoreClock clock) {
        Logger.getLogger("com.hazelcast").setLevel(Level.WARNING);
        this.slots = slots;
        this.clock = clock;
        pickPorts();
    }

    /** Ports below Linux's ephemeral range (32768 and up), so no outgoing connection holds one of them. */
    private void pickPorts() {
        basePort = 20_000 + ThreadLocalRandom.current().nextInt(120) * 100 + 50;
    }

    HazelcastInstance start(int slot) {
        return start(slot, config -> { });
    }

    /** Starts the member in {@code slot}, its config changed by {@code tweak}; the first retries on taken ports. */
    HazelcastInstance start(int slot, Consumer<Config> tweak) {
        for (int attempt = 0; ; attempt++) {
            List<String> addresses = new ArrayList<>();
            for (int i = 0; i < slots; i++) addresses.add("127.0.0.1:" + (basePort + i));
            ClusterSettings settings = new ClusterSettings(name, basePort + slot, addresses, Optional.empty(),
                    Duration.ofSeconds(15), OptionalInt.of(1));
            Config config = HazelcastMember.config(settings, "wire-" + slot + "-" + name.substring(name.length() - 8));
            tweak.accept(config);
            StoreTime.inject(config, clock);
            try {
                HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
                started.add(member);
                return member;
            } catch (HazelcastException portTaken) {
                if (!started.isEmpty() || attempt == 4) throw portTaken;
                pickPorts();
            }
        }
    }

    /** A group name whose partition {@code member} owns. */
    static String keyOwnedBy(HazelcastInstance member) {
        for (int i = 0; ; i++) {
            String key = "g" + i;
            if (member.getPartitionService().getPartition(key).getOwner().localMember()) return key;
        }
    }

    @Override
    public void close() {
        for (HazelcastInstance member : started) {
            member.getLifecycleService().terminate();
        }
    }
}
