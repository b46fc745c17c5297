package dev.triage.node.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.triage.config.ClusterSettings;
import dev.triage.core.GroupSpec;
import dev.triage.core.spi.SchedulerBackend;
import dev.triage.core.spi.StoreClock;
import dev.triage.core.tck.BackendFixture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Real Hazelcast members in this JVM, on 127.0.0.1 with TCP-IP join (no multicast) and ports of their own,
 * shared by the tests of a class: each test gets fresh maps and topics under a namespace of its own.
 */
final class TestCluster implements AutoCloseable {

    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    private final List<HazelcastInstance> members = new ArrayList<>();
    private final String name = "triage-test-" + UUID.randomUUID();

    TestCluster(int size) {
        this(size, true);
    }

    /**
     * @param nodeIds whether members carry a node id; without one, a member that leaves drops no node (for
     *                histories that must see every command the store applies)
     */
    TestCluster(int size, boolean nodeIds) {
        HAZELCAST_LOG.setLevel(Level.WARNING);
        for (int attempt = 0; ; attempt++) {
            try {
                startMembers(size, nodeIds);
                return;
            } catch (com.hazelcast.core.HazelcastException portTaken) {
                members.forEach(m -> m.getLifecycleService().terminate());
                members.clear();
                if (attempt == 4) throw portTaken;
            }
        }
    }

    /** Ports below Linux's ephemeral range (32768 and up), so no outgoing connection holds one of them. */
    private void startMembers(int size, boolean nodeIds) {
        int basePort = 20_000 + ThreadLocalRandom.current().nextInt(120) * 100;
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < size; i++) addresses.add("127.0.0.1:" + (basePort + i));
        for (int i = 0; i < size; i++) {
            ClusterSettings settings = new ClusterSettings(name, basePort + i, addresses, Optional.empty(),
                    Duration.ofSeconds(15), OptionalInt.of(1));
            com.hazelcast.config.Config config = HazelcastMember.config(settings, "member-" + i);
            if (!nodeIds) config.getMemberAttributeConfig().removeAttribute(HazelcastBackend.NODE_ATTRIBUTE);
            members.add(com.hazelcast.core.Hazelcast.newHazelcastInstance(config));
        }
    }

    HazelcastInstance member(int index) {
        return members.get(index);
    }

    int size() {
        return members.size();
    }

    /** A fixture of backends, one per member, on a namespace of their own, reading {@code clock}. */
    BackendFixture fixture(List<GroupSpec> groups, StoreClock clock) {
        return fixture(groups, clock, members);
    }

    /** The same, with commands sent only through {@code through} (the others still hold partitions). */
    BackendFixture fixture(List<GroupSpec> groups, StoreClock clock, List<HazelcastInstance> through) {
        String namespace = "." + UUID.randomUUID();
        List<HazelcastBackend> backends = new ArrayList<>();
        for (HazelcastInstance member : members) StoreTime.inject(member, clock);
        for (HazelcastInstance member : through) {
            backends.add(new HazelcastBackend(member, groups, namespace));
        }
        return new BackendFixture() {
            @Override
            public int members() {
                return backends.size();
            }

            @Override
            public SchedulerBackend member(int index) {
                return backends.get(index);
            }

            @Override
            public void close() {
                backends.forEach(HazelcastBackend::close);
                // Destroyed once, from one running member: destroys from several race each other's proxies.
                for (HazelcastBackend backend : backends) {
                    if (!backend.instance().getLifecycleService().isRunning()) continue;
                    try {
                        backend.instance().getMap(HazelcastBackend.MAP + namespace).destroy();
                    } catch (com.hazelcast.spi.exception.DistributedObjectDestroyedException alreadyGoing) {
                        // another member's destroy got there first
                    }
                    break;
                }
            }
        };
    }

    /** The member that owns {@code key}'s partition. */
    HazelcastInstance ownerOf(String key) {
        var owner = members.get(0).getPartitionService().getPartition(key).getOwner();
        for (HazelcastInstance member : members) {
            if (member.getCluster().getLocalMember().getUuid().equals(owner.getUuid())) return member;
        }
        throw new IllegalStateException("no member owns " + key);
    }

    List<HazelcastInstance> members() {
        return List.copyOf(members);
    }

    @Override
    public void close() {
        for (HazelcastInstance member : members) {
            member.getLifecycleService().terminate();
        }
    }
}
