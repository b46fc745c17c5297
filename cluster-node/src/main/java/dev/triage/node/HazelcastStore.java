package dev.triage.node;

import com.hazelcast.cluster.Address;
import com.hazelcast.core.HazelcastInstance;
import dev.triage.config.ClusterSettings;
import dev.triage.config.TriageConfig;
import dev.triage.core.spi.SchedulerBackend;
import dev.triage.http.SchedulerSettings;
import dev.triage.node.hazelcast.HazelcastBackend;
import dev.triage.node.hazelcast.HazelcastMember;

import java.util.List;

/** Embedded mode: this node's Hazelcast member, and the backend on it. */
final class HazelcastStore implements NodeStore {

    private final HazelcastInstance member;
    private final HazelcastBackend backend;
    private final ClusterSettings cluster;

    private HazelcastStore(HazelcastInstance member, HazelcastBackend backend, ClusterSettings cluster) {
        this.member = member;
        this.backend = backend;
        this.cluster = cluster;
    }

    static HazelcastStore start(TriageConfig config, ClusterSettings cluster, String nodeId) {
        HazelcastInstance member = HazelcastMember.start(cluster, nodeId);
        try {
            // Versioned by when this node loaded its file, so that a rolling update converges on the newest file.
            return new HazelcastStore(member, new HazelcastBackend(member,
                    SchedulerSettings.groupSpecs(config, member.getCluster().getClusterTime())), cluster);
        } catch (RuntimeException e) {
            // A node that did not start must leave no member behind: it would hold the port, and be counted.
            member.shutdown();
            throw e;
        }
    }

    @Override
    public SchedulerBackend backend() {
        return backend;
    }

    @Override
    public long time() {
        return member.getCluster().getClusterTime();
    }

    /** {@code cluster member on 127.0.0.1:5701}, or every interface with the address it advertises. */
    @Override
    public List<String> bindings() {
        Address advertised = member.getCluster().getLocalMember().getAddress();
        String where = cluster.bindAddress().equals(ClusterSettings.EVERY_INTERFACE)
                ? "every interface (0.0.0.0), port " + advertised.getPort() + ", advertised as "
                        + advertised.getHost() + ":" + advertised.getPort()
                : cluster.bindAddress() + ":" + advertised.getPort();
        return List.of("cluster member on " + where);
    }

    @Override
    public void close() {
        try {
            backend.close();
        } finally {
            member.shutdown();
        }
    }
}
