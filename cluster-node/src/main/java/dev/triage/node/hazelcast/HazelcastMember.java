package dev.triage.node.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.triage.config.ClusterSettings;

import java.util.List;

/**
 * Builds and starts the embedded Hazelcast member of a node. Failure detection is tuned to the lease bound
 * (Hazelcast's 60 s default would let a dead node hold its slots for a minute) and an operation gives up
 * after a few seconds, so a request never hangs on a lost member.
 */
public final class HazelcastMember {

    private HazelcastMember() {
    }

    /**
     * The version of the state and messages this build reads and writes; published as a member attribute, and
     * written first by every entry processor. 2: {@link dev.triage.core.wire.WireFormat} instead of Java serialization.
     * 3: commands travel in batches, and the operation memo is compact.
     */
    public static final int FORMAT_VERSION = 3;
    public static final String FORMAT_ATTRIBUTE = "triage.format";

    /**
     * Starts the member and checks that every member of the cluster it joined reads the same state format; if
     * not, it leaves at once with an error saying which member runs what, so a rolling upgrade that mixes
     * incompatible builds never touches the state. It joins as a lite member (one that holds no partitions) and
     * becomes a data member only once the check has passed, so no state ever migrates to a member that cannot
     * read it.
     */
    public static HazelcastInstance start(ClusterSettings cluster, String nodeId) {
        Config config = config(cluster, nodeId);
        config.setLiteMember(true);
        HazelcastInstance instance = Hazelcast.newHazelcastInstance(config);
        for (var member : instance.getCluster().getMembers()) {
            String format = member.getAttribute(FORMAT_ATTRIBUTE);
            if (!Integer.toString(FORMAT_VERSION).equals(format)) {
                instance.shutdown();
                throw new IllegalStateException("cannot join cluster " + cluster.name() + ": member "
                        + member.getAddress() + " uses state format " + (format == null ? "(none)" : format)
                        + ", this node uses format " + FORMAT_VERSION + "; run one format per cluster");
            }
        }
        instance.getCluster().promoteLocalLiteMember();
        return instance;
    }

    /** Refuses {@code what} (a processor) that a member of another format wrote, before anything of it is read. */
    static void requireFormat(int format, String what) {
        if (format != FORMAT_VERSION) {
            throw new IllegalStateException(what + " in state format " + format + " reached a member that reads "
                    + FORMAT_VERSION);
        }
    }

    public static Config config(ClusterSettings cluster, String nodeId) {
        long leaseBoundSeconds = Math.max(2, cluster.leaseBound().toSeconds());
        Config config = new Config();
        config.setClusterName(cluster.name());
        config.setInstanceName("triage-" + nodeId);
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(Math.max(2, leaseBoundSeconds * 2 / 3)));
        config.setProperty("hazelcast.operation.call.timeout.millis", "5000");
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        config.getMemberAttributeConfig().setAttribute(HazelcastBackend.NODE_ATTRIBUTE, nodeId);
        config.getMemberAttributeConfig().setAttribute(FORMAT_ATTRIBUTE, Integer.toString(FORMAT_VERSION));
        WireSerializers.register(config.getSerializationConfig());

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(cluster.port()).setPortAutoIncrement(cluster.members().isEmpty());
        // Hazelcast binds every interface whatever address it advertises, unless told not to: the member port has
        // no authentication, so a node binds only the address it was given (loopback by default).
        String bind = cluster.bindAddress();
        if (!bind.equals(ClusterSettings.EVERY_INTERFACE)) {
            network.getInterfaces().setEnabled(true).addInterface(bind);
            config.setProperty("hazelcast.socket.bind.any", "false");
        }
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        if (cluster.kubernetes().isPresent()) {
            var kubernetes = cluster.kubernetes().get();
            join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", kubernetes.serviceDns());
            kubernetes.servicePort().ifPresent(port -> join.getKubernetesConfig()
                    .setProperty("service-port", Integer.toString(port)));
        } else {
            List<String> members = cluster.members().isEmpty() ? List.of("127.0.0.1:" + cluster.port()) : cluster.members();
            join.getTcpIpConfig().setEnabled(true).setMembers(members);
        }

        MapConfig groups = new MapConfig(HazelcastBackend.MAP + "*")
                .setInMemoryFormat(InMemoryFormat.OBJECT)
                .setBackupCount(1)
                .setAsyncBackupCount(0);
        int minMembers = minMembers(cluster);
        if (minMembers > 1) {
            config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(
                    HazelcastBackend.SPLIT_BRAIN_PROTECTION, true, minMembers));
            groups.setSplitBrainProtectionName(HazelcastBackend.SPLIT_BRAIN_PROTECTION);
        }
        config.addMapConfig(groups);
        return config;
    }

    /** {@code cluster.min_members}, else a majority of the listed members (1 with none listed). */
    static int minMembers(ClusterSettings cluster) {
        if (cluster.minMembers().isPresent()) return cluster.minMembers().getAsInt();
        return cluster.members().size() / 2 + 1;
    }
}
