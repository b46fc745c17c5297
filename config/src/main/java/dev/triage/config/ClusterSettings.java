package dev.triage.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Triage's own {@code cluster} section (LiteLLM has none).
 *
 * @param members {@code host:port} of the nodes to join; empty unless given
 * @param leaseBound how long a silent node keeps its leases before they are reclaimed
 * @param minMembers when present, a node admits only while it sees at least this many members
 * @param host the IPv4 address the member binds and advertises, {@value #EVERY_INTERFACE} for every interface;
 *             empty: see {@link #bindAddress()}
 */
public record ClusterSettings(
        String name,
        int port,
        List<String> members,
        Optional<KubernetesDiscovery> kubernetes,
        Duration leaseBound,
        OptionalInt minMembers,
        Optional<String> host) {

    public static final String DEFAULT_NAME = "triage";
    public static final int DEFAULT_PORT = 5701;
    public static final Duration DEFAULT_LEASE_BOUND = Duration.ofSeconds(15);
    public static final String LOOPBACK = "127.0.0.1";
    public static final String EVERY_INTERFACE = "0.0.0.0";
    /** What {@link #isIpv4Address} accepts, as the "expected ..." half of an error about a bind address. */
    public static final String BIND_ADDRESS_EXPECTED =
            "an IPv4 address of this machine, such as 10.0.0.5, or 0.0.0.0 for every interface";
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

    public ClusterSettings {
        Objects.requireNonNull(name, "name");
        members = List.copyOf(members);
        Objects.requireNonNull(kubernetes, "kubernetes");
        Objects.requireNonNull(leaseBound, "leaseBound");
        Objects.requireNonNull(minMembers, "minMembers");
        Objects.requireNonNull(host, "host");
    }

    /** Without a {@code host}: the address is chosen by {@link #bindAddress()}. */
    public ClusterSettings(String name, int port, List<String> members, Optional<KubernetesDiscovery> kubernetes,
                           Duration leaseBound, OptionalInt minMembers) {
        this(name, port, members, kubernetes, leaseBound, minMembers, Optional.empty());
    }

    public static ClusterSettings defaults() {
        return new ClusterSettings(
                DEFAULT_NAME, DEFAULT_PORT, List.of(), Optional.empty(), DEFAULT_LEASE_BOUND, OptionalInt.empty());
    }

    public ClusterSettings withHost(String host) {
        return new ClusterSettings(name, port, members, kubernetes, leaseBound, minMembers, Optional.of(host));
    }

    /**
     * Where the member listens: {@code host} when given; else loopback, as the node prints it, while every listed
     * member is on this machine; else every interface, since members elsewhere (or found through Kubernetes) must
     * reach this one. The member port has no authentication: a fleet sets {@code host} to its private address.
     */
    public String bindAddress() {
        if (host.isPresent()) return host.get();
        boolean allLocal = kubernetes.isEmpty() && members.stream().allMatch(ClusterSettings::isLoopbackMember);
        return allLocal ? LOOPBACK : EVERY_INTERFACE;
    }

    /** A dotted IPv4 address, such as {@code 10.0.0.5}; {@value #EVERY_INTERFACE} is one. */
    public static boolean isIpv4Address(String text) {
        return IPV4.matcher(text).matches();
    }

    private static boolean isLoopbackMember(String member) {
        return member.startsWith("127.") || member.startsWith("localhost:");
    }
}
