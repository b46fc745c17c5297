package dev.triage.node;

import dev.triage.config.ConfigLoader;
import dev.triage.node.cli.NodeOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A node started without address options listens on loopback only, both its HTTP port and its cluster member
 * port (which has no authentication), and says so; {@code --host} and {@code --cluster-host} open them. The kernel's
 * own table of listening sockets is the witness.
 */
class BindAddressTest {

    private static final Path EXAMPLE = Path.of("../examples/mock-config.yaml");

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "reads the kernel's socket table");
    }

    private static NodeOptions options(Optional<String> host, Optional<String> clusterHost) {
        int clusterPort = 32_000 + ThreadLocalRandom.current().nextInt(700);
        return new NodeOptions(EXAMPLE, OptionalInt.of(0), host, OptionalInt.of(clusterPort),
                List.of("127.0.0.1:" + clusterPort), Optional.of("bind-" + UUID.randomUUID()), clusterHost);
    }

    @Test
    void byDefaultBothPortsListenOnLoopbackOnlyAsPrinted() throws Exception {
        NodeOptions options = options(Optional.empty(), Optional.empty());
        try (TriageNode node = TriageNode.start(ConfigLoader.load(EXAMPLE, Map.of()), options)) {
            int httpPort = URI.create(node.url()).getPort();
            int clusterPort = options.clusterPort().getAsInt();

            assertThat(listeningAddresses(httpPort)).containsExactly("127.0.0.1");
            assertThat(listeningAddresses(clusterPort)).containsExactly("127.0.0.1");
            assertThat(node.url()).isEqualTo("http://127.0.0.1:" + httpPort);
            assertThat(node.bindings()).containsExactly("HTTP on 127.0.0.1:" + httpPort,
                    "cluster member on 127.0.0.1:" + clusterPort);
        }
    }

    @Test
    void hostAndClusterHostOpenEveryInterface() throws Exception {
        NodeOptions options = options(Optional.of("0.0.0.0"), Optional.of("0.0.0.0"));
        try (TriageNode node = TriageNode.start(ConfigLoader.load(EXAMPLE, Map.of()), options)) {
            int httpPort = URI.create(node.url()).getPort();
            int clusterPort = options.clusterPort().getAsInt();

            assertThat(listeningAddresses(httpPort)).isNotEmpty().isSubsetOf("0.0.0.0", "::");
            assertThat(listeningAddresses(clusterPort)).isNotEmpty().isSubsetOf("0.0.0.0", "::");
            assertThat(node.bindings().get(0)).isEqualTo("HTTP on every interface (0.0.0.0), port " + httpPort);
            assertThat(node.bindings().get(1)).startsWith("cluster member on every interface (0.0.0.0), port "
                    + clusterPort + ", advertised as ");
        }
    }

    /**
     * The local addresses of the sockets listening on {@code port}, from {@code /proc/net/tcp} and {@code tcp6}: an
     * IPv4-mapped IPv6 address as its IPv4 address, the IPv6 wildcard (which takes IPv4 too) as {@code ::}.
     */
    private static Set<String> listeningAddresses(int port) throws IOException {
        Set<String> addresses = new TreeSet<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            if (!Files.isReadable(Path.of(table))) continue;
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length < 4 || !fields[3].equals("0A")) continue; // 0A: LISTEN
                String[] local = fields[1].split(":");
                if (Integer.parseInt(local[1], 16) == port) addresses.add(address(local[0]));
            }
        }
        return addresses;
    }

    /** 32-bit words in host order (little-endian on x86 and arm). */
    private static String address(String hex) {
        if (hex.equals("0".repeat(32))) return "::";
        if (hex.length() == 32 && !hex.startsWith("0000000000000000FFFF0000")) return hex;
        long ip = Long.parseLong(hex.substring(hex.length() - 8), 16);
        return (ip & 0xff) + "." + (ip >> 8 & 0xff) + "." + (ip >> 16 & 0xff) + "." + (ip >> 24 & 0xff);
    }
}
