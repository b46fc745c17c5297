package dev.triage.benchmarks;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;

import java.util.Arrays;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a thread hand-off costs on this machine, apart from any scheduling work: a no-op entry processor on
 * one member, called synchronously ({@code executeOnKey}) and asynchronously ({@code submitToKey(...).join()}).
 *
 * <p>Run: {@code java --add-opens java.base/java.lang=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar
 * dev.triage.benchmarks.HandoffProbe}
 */
public final class HandoffProbe {

    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    static final class NoOp implements EntryProcessor<String, Object, Boolean> {
        private static final long serialVersionUID = 1;

        @Override
        public Boolean process(Map.Entry<String, Object> entry) {
            return Boolean.TRUE;
        }

        @Override
        public EntryProcessor<String, Object, Boolean> getBackupProcessor() {
            return null;
        }
    }

    public static void main(String[] args) {
        HAZELCAST_LOG.setLevel(Level.WARNING);
        Config config = new Config().setClusterName("probe");
        config.getNetworkConfig().setPort(26_701).getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:26701");
        config.addMapConfig(new MapConfig("probe").setInMemoryFormat(InMemoryFormat.OBJECT));
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        try {
            IMap<String, Object> map = member.getMap("probe");
            for (int round = 0; round < 2; round++) {
                for (boolean sync : new boolean[] {true, false}) {
                    long[] nanos = new long[20_000];
                    for (int i = 0; i < nanos.length; i++) {
                        long start = System.nanoTime();
                        if (sync) map.executeOnKey("k", new NoOp());
                        else map.submitToKey("k", new NoOp()).toCompletableFuture().join();
                        nanos[i] = System.nanoTime() - start;
                    }
                    Arrays.sort(nanos);
                    System.out.printf("round %d %s: p50 %d us, p99 %d us%n", round, sync ? "executeOnKey" : "submitToKey+join",
                            nanos[nanos.length / 2] / 1_000, nanos[nanos.length * 99 / 100] / 1_000);
                }
            }
        } finally {
            member.shutdown();
        }
    }
}
