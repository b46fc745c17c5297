package dev.triage.node.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import dev.triage.config.ClusterSettings;
import dev.triage.config.KubernetesDiscovery;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** The member configuration a node builds from its {@code cluster:} settings, read back from Hazelcast's Config. */
class HazelcastMemberConfigTest {

    private static ClusterSettings settings(List<String> members, Optional<KubernetesDiscovery> kubernetes) {
        return new ClusterSettings("fleet", 5701, members, kubernetes, Duration.ofSeconds(15), OptionalInt.empty());
    }

    @Test
    void byDefaultOneMemberJoinsItselfOnLoopbackWithMulticastOff() {
        Config config = HazelcastMember.config(settings(List.of(), Optional.empty()), "n0");
        JoinConfig join = config.getNetworkConfig().getJoin();

        assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
        assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
        assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:5701");
        assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    }

    @Test
    void kubernetesDiscoveryUsesTheHeadlessServiceAndDoesNotPinTheMemberToLoopback() {
        Config config = HazelcastMember.config(
                settings(List.of(), Optional.of(new KubernetesDiscovery("triage.prod.svc.cluster.local", OptionalInt.of(5701)))),
                "n0");
        JoinConfig join = config.getNetworkConfig().getJoin();

        assertThat(config.getNetworkConfig().getInterfaces().isEnabled())
                .as("a pod must advertise its own address, not 127.0.0.1").isFalse();
        assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
        assertThat(join.getKubernetesConfig().getProperty("service-dns")).isEqualTo("triage.prod.svc.cluster.local");
        assertThat(join.getKubernetesConfig().getProperty("service-port")).isEqualTo("5701");
        assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    }

    @Test
    void membersOnOtherHostsAreNotPinnedToLoopback() {
        Config config = HazelcastMember.config(settings(List.of("10.0.0.1:5701", "10.0.0.2:5701"), Optional.empty()), "n0");

        assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isFalse();
        assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
                .containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
    }

    @Test
    void failureDetectionFollowsTheLeaseBoundAndNoCallWaitsHazelcastsMinute() {
        Config config = HazelcastMember.config(settings(List.of(), Optional.empty()), "n0");

        assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("1");
        assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("10");
        assertThat(config.getProperty("hazelcast.operation.call.timeout.millis")).isEqualTo("5000");
        assertThat(config.getMemberAttributeConfig().getAttribute(HazelcastBackend.NODE_ATTRIBUTE)).isEqualTo("n0");
    }

    @Test
    void theStateMapKeepsObjectsInPlaceWithOneSyncBackupUnderSplitBrainProtection() {
        Config config = HazelcastMember.config(
                settings(List.of("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703"), Optional.empty()), "n0");
        MapConfig groups = config.getMapConfig(HazelcastBackend.MAP + ".anything");

        assertThat(groups.getInMemoryFormat()).isEqualTo(InMemoryFormat.OBJECT);
        assertThat(groups.getBackupCount()).isEqualTo(1);
        assertThat(groups.getAsyncBackupCount()).isZero();
        assertThat(groups.getSplitBrainProtectionName()).isEqualTo(HazelcastBackend.SPLIT_BRAIN_PROTECTION);
        assertThat(config.getSplitBrainProtectionConfig(HazelcastBackend.SPLIT_BRAIN_PROTECTION).getMinimumClusterSize())
                .isEqualTo(2);
    }
}
