package dev.triage.node.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.triage.config.ClusterSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HazelcastMemberTest {

    private static ClusterSettings settings(String name, int port, List<String> members) {
        return new ClusterSettings(name, port, members, Optional.empty(), Duration.ofSeconds(15), OptionalInt.empty());
    }

    @Test
    void aNodeRefusesToJoinAClusterRunningAnotherStateFormat() {
        String name = "format-" + UUID.randomUUID();
        int port = 27_000 + ThreadLocalRandom.current().nextInt(1_000) * 2;
        List<String> members = List.of("127.0.0.1:" + port, "127.0.0.1:" + (port + 1));
        Config older = HazelcastMember.config(settings(name, port, members), "old-node");
        older.getMemberAttributeConfig().setAttribute(HazelcastMember.FORMAT_ATTRIBUTE, "0");
        HazelcastInstance old = Hazelcast.newHazelcastInstance(older);
        try {
            old.getMap("format-check").put("g", "data the new node must never hold");
            assertThat(old.getPartitionService().getPartitions()).allMatch(p -> p.getOwner().localMember());
            assertThatThrownBy(() -> HazelcastMember.start(settings(name, port + 1, members), "new-node"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("uses state format 0, this node uses format " + HazelcastMember.FORMAT_VERSION);
            // It joined as a lite member: no partition ever moved to it.
            assertThat(old.getPartitionService().getPartitions()).allMatch(p -> p.getOwner().localMember());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> old.getCluster().getMembers().size() == 1);
        } finally {
            old.getLifecycleService().terminate();
        }
    }

    @Test
    void minMembersDefaultsToAMajorityOfTheListedMembers() {
        assertThat(HazelcastMember.minMembers(settings("c", 5701, List.of()))).isEqualTo(1);
        assertThat(HazelcastMember.minMembers(settings("c", 5701, List.of("a:1", "b:2", "c:3")))).isEqualTo(2);
        assertThat(HazelcastMember.minMembers(settings("c", 5701, List.of("a:1", "b:2", "c:3", "d:4", "e:5"))))
                .isEqualTo(3);
    }

    @Test
    void aNodeThatPassesTheFormatCheckBecomesADataMemberThatHoldsPartitions() {
        String name = "promoted-" + UUID.randomUUID();
        int port = 27_000 + ThreadLocalRandom.current().nextInt(1_000) * 2;
        List<String> members = List.of("127.0.0.1:" + port, "127.0.0.1:" + (port + 1));
        HazelcastInstance first = HazelcastMember.start(settings(name, port, members), "n0");
        try {
            HazelcastInstance second = HazelcastMember.start(settings(name, port + 1, members), "n1");
            try {
                assertThat(first.getCluster().getLocalMember().isLiteMember()).isFalse();
                assertThat(second.getCluster().getLocalMember().isLiteMember()).isFalse();
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                        second.getPartitionService().getPartitions().stream().anyMatch(p -> p.getOwner() != null
                                && p.getOwner().localMember()));
            } finally {
                second.getLifecycleService().terminate();
            }
        } finally {
            first.getLifecycleService().terminate();
        }
    }
}
