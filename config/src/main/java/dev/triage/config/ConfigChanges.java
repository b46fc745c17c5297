package dev.triage.config;

import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a reloaded config changes, one line per setting, in the file's words: {@code model group gpt-4o:
 * deployment gpt-4o-0: max_parallel_requests 1 -> 4}. A secret is only said to have changed.
 *
 * @param live the changes a running node applies at once
 * @param atRestart the changes it cannot apply live (ports, the cluster, the store, the body limits): they take
 *     effect when the node next starts
 */
public record ConfigChanges(List<String> live, List<String> atRestart) {

    /** Settings read once at start: the cluster's shape, the store, the loops' periods, the body readers. */
    private static final Set<String> AT_RESTART = Set.of(
            "router_settings.polling_interval", "router_settings.redis_host", "router_settings.redis_port",
            "router_settings.redis_password", "router_settings.redis_username", "router_settings.redis_url",
            "general_settings.max_request_size_mb", "general_settings.max_waiting_body_mb");
    /** Components whose key in the file is not their name in snake case. */
    private static final Map<String, String> KEYS = Map.of(
            "maxRequestBodyBytes", "max_request_size_mb",
            "maxWaitingBodyBytes", "max_waiting_body_mb",
            "requireAuthForMetrics", "require_auth_for_metrics_endpoint",
            "queueTimeout", "queue timeout");

    public ConfigChanges {
        live = List.copyOf(live);
        atRestart = List.copyOf(atRestart);
    }

    public static ConfigChanges between(TriageConfig before, TriageConfig after) {
        List<String> live = new ArrayList<>();
        List<String> atRestart = new ArrayList<>();
        groups(before, after, live);
        for (String change : section("litellm_settings", before.litellm(), after.litellm())) live.add(change);
        for (String change : section("router_settings", before.router(), after.router())) {
            (AT_RESTART.contains(change.substring(0, change.indexOf(' '))) ? atRestart : live).add(change);
        }
        for (String change : section("general_settings", before.general(), after.general())) {
            (AT_RESTART.contains(change.substring(0, change.indexOf(' '))) ? atRestart : live).add(change);
        }
        atRestart.addAll(section("cluster", before.cluster(), after.cluster()));
        atRestart.addAll(section("redis", RedisSection.of(before), RedisSection.of(after)));
        return new ConfigChanges(live, atRestart);
    }

    /** Triage's {@code redis} section in the file's words; both keys are read once, at start. */
    private record RedisSection(Optional<String> keyPrefix, Optional<List<URI>> clusterNodes) {
        static RedisSection of(TriageConfig config) {
            return new RedisSection(config.redis().map(RedisSettings::keyPrefix),
                    config.redis().filter(RedisSettings::cluster).map(RedisSettings::endpoints));
        }
    }

    public boolean isEmpty() {
        return live.isEmpty() && atRestart.isEmpty();
    }

    private static void groups(TriageConfig before, TriageConfig after, List<String> out) {
        Map<String, ModelGroupSettings> old = byName(before);
        Map<String, ModelGroupSettings> now = byName(after);
        for (ModelGroupSettings group : now.values()) {
            ModelGroupSettings was = old.get(group.name());
            if (was == null) {
                out.add("model group " + group.name() + " added, " + count(group));
                continue;
            }
            Map<String, DeploymentSettings> wasDeployments = byId(was);
            Map<String, DeploymentSettings> nowDeployments = byId(group);
            String prefix = "model group " + group.name() + ": deployment ";
            for (DeploymentSettings d : nowDeployments.values()) {
                DeploymentSettings previous = wasDeployments.get(d.id());
                if (previous == null) {
                    out.add(prefix + d.id() + " added");
                } else {
                    for (String change : differences(previous, d)) out.add(prefix + d.id() + ": " + change);
                }
            }
            for (String id : wasDeployments.keySet()) {
                if (!nowDeployments.containsKey(id)) out.add(prefix + id + " removed");
            }
        }
        for (String name : old.keySet()) {
            if (!now.containsKey(name)) out.add("model group " + name + " removed");
        }
    }

    private static List<String> section(String name, Record before, Record after) {
        return differences(before, after).stream().map(change -> name + "." + change).toList();
    }

    /** {@code key old -> new} for each component that differs. */
    private static List<String> differences(Record before, Record after) {
        List<String> out = new ArrayList<>();
        for (RecordComponent component : before.getClass().getRecordComponents()) {
            Object was = value(component, before);
            Object now = value(component, after);
            if (java.util.Objects.equals(was, now)) continue;
            String key = KEYS.getOrDefault(component.getName(), snakeCase(component.getName()));
            if (isSecret(was) || isSecret(now)) {
                out.add(key + " changed");
            } else if (key.endsWith("_mb")) {
                out.add(key + " " + megabytes((Long) was) + " -> " + megabytes((Long) now));
            } else {
                out.add(key + " " + shown(was) + " -> " + shown(now));
            }
        }
        return out;
    }

    private static Object value(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("reading " + component.getName() + " of " + record.getClass(), e);
        }
    }

    private static boolean isSecret(Object value) {
        return value instanceof Secret || value instanceof Optional<?> o && o.isPresent() && o.get() instanceof Secret;
    }

    private static String shown(Object value) {
        if (value instanceof Optional<?> o) return o.map(ConfigChanges::shown).orElse("unset");
        if (value instanceof OptionalLong o) return o.isPresent() ? Long.toString(o.getAsLong()) : "unset";
        if (value instanceof OptionalInt o) return o.isPresent() ? Integer.toString(o.getAsInt()) : "unset";
        if (value instanceof Duration d) return ConfigDescription.seconds(d);
        if (value instanceof URI url) return ConfigDescription.maskUserInfo(url);
        return String.valueOf(value);
    }

    private static String megabytes(long bytes) {
        return java.math.BigDecimal.valueOf(bytes).divide(java.math.BigDecimal.valueOf(1L << 20))
                .stripTrailingZeros().toPlainString();
    }

    private static String snakeCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String count(ModelGroupSettings group) {
        int n = group.deployments().size();
        return n + (n == 1 ? " deployment" : " deployments");
    }

    private static Map<String, ModelGroupSettings> byName(TriageConfig config) {
        Map<String, ModelGroupSettings> groups = new LinkedHashMap<>();
        for (ModelGroupSettings group : config.groups()) groups.put(group.name(), group);
        return groups;
    }

    private static Map<String, DeploymentSettings> byId(ModelGroupSettings group) {
        Map<String, DeploymentSettings> deployments = new LinkedHashMap<>();
        for (DeploymentSettings d : group.deployments()) deployments.put(d.id(), d);
        return deployments;
    }
}
