package dev.triage.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Reads Triage's own {@code cluster} section, where unknown keys are errors. */
final class ClusterSettingsReader {
    static final List<String> KEYS = List.of("name", "port", "members", "kubernetes", "lease_bound", "min_members", "host");
    static final List<String> KUBERNETES_KEYS = List.of("service_dns", "service_port");

    private ClusterSettingsReader() {}

    static ClusterSettings read(ConfigSection section) {
        section.rejectKeysOtherThan(KEYS);
        List<String> members = section.optional("members").map(ClusterSettingsReader::members).orElse(List.of());
        Optional<KubernetesDiscovery> kubernetes =
                section.optional("kubernetes").map(ClusterSettingsReader::kubernetes);
        if (!members.isEmpty() && kubernetes.isPresent()) {
            // Hazelcast joins by one method; a config naming two would silently use neither as written.
            throw section.context().error(section.pathOf("kubernetes"), Expected.ONE_JOIN_METHOD, Found.BOTH);
        }
        return new ClusterSettings(
                section.optional("name").map(ConfigNode::string).orElse(ClusterSettings.DEFAULT_NAME),
                section.optionalInt("port", ConfigNode::port).orElse(ClusterSettings.DEFAULT_PORT),
                members,
                kubernetes,
                section.optional("lease_bound").map(ConfigNode::positiveSeconds)
                        .orElse(ClusterSettings.DEFAULT_LEASE_BOUND),
                section.optionalInt("min_members", ConfigNode::positiveInt),
                section.optional("host").map(ClusterSettingsReader::bindAddress));
    }

    private static String bindAddress(ConfigNode node) {
        String text = node.string(Expected.BIND_ADDRESS);
        if (!ClusterSettings.isIpv4Address(text)) throw node.mismatch(Expected.BIND_ADDRESS);
        return text;
    }

    private static List<String> members(ConfigNode node) {
        return node.list(Expected.LIST).stream().map(ClusterSettingsReader::member).toList();
    }

    private static String member(ConfigNode node) {
        String text = node.string(Expected.MEMBER);
        if (!isHostAndPort(text)) {
            throw node.mismatch(Expected.MEMBER);
        }
        return text;
    }

    /** {@code host:port}, {@code 10.0.0.1:5701} or {@code [::1]:5701}. */
    static boolean isHostAndPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            return false;
        }
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        boolean bracketed = host.startsWith("[") && host.endsWith("]") && host.length() > 2;
        boolean plain = !host.contains(":") && host.chars().noneMatch(c -> Character.isWhitespace(c) || c == '/');
        boolean hostValid = bracketed || plain;
        if (!hostValid || port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int number = Integer.parseInt(port);
        return number >= 1 && number <= 65_535;
    }

    private static KubernetesDiscovery kubernetes(ConfigNode node) {
        ConfigSection section = node.section();
        section.rejectKeysOtherThan(KUBERNETES_KEYS);
        return new KubernetesDiscovery(
                section.required("service_dns", Expected.NON_EMPTY_STRING).string(),
                section.optionalInt("service_port", ConfigNode::port));
    }
}
