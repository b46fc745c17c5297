package dev.triage.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads Triage's own {@code redis} section, where unknown keys are errors, and makes {@link RedisSettings} of it
 * and of the Redis keys of {@code router_settings}. The servers are named once: {@code redis_url} (else
 * {@code redis_host} and {@code redis_port}) for one server, or {@code cluster_nodes} for Redis Cluster seeds; the
 * user and password of {@code router_settings} apply to every seed.
 */
final class RedisSettingsReader {
    static final List<String> KEYS = List.of("key_prefix", "cluster_nodes");
    static final String NO_SERVER = "ignored, as no Redis server is set (router_settings.redis_host or redis_url,"
            + " or redis.cluster_nodes): the embedded backend runs";

    private RedisSettingsReader() {}

    /** Empty unless Redis mode is asked for: {@code redis_host}, {@code redis_url} or {@code cluster_nodes} set. */
    static Optional<RedisSettings> read(ConfigSection section, RouterSettings router) {
        section.rejectKeysOtherThan(KEYS);
        String keyPrefix = section.optional("key_prefix").map(RedisSettingsReader::keyPrefix)
                .orElse(RedisSettings.DEFAULT_KEY_PREFIX);
        Optional<List<URI>> seeds = section.optional("cluster_nodes").map(RedisSettingsReader::clusterNodes);
        Optional<URI> server = server(router);
        if (seeds.isPresent() && server.isPresent()) {
            // Joining that server to the seeds and leaving it out would each surprise someone: the file says which.
            throw section.context().error(
                    section.pathOf("cluster_nodes"), Expected.ONE_REDIS_SERVER_SETTING, Found.BOTH);
        }
        if (seeds.isEmpty() && server.isEmpty()) {
            if (section.raw().containsKey("key_prefix")) {
                section.context().warn(section.pathOf("key_prefix"), NO_SERVER);
            }
            return Optional.empty();
        }
        Optional<String> userInfo = router.redisUrl().map(URI::getRawUserInfo);
        return Optional.of(new RedisSettings(
                seeds.orElseGet(() -> List.of(server.orElseThrow())),
                seeds.isPresent(),
                router.redisUsername().or(() -> userInfo.flatMap(RedisSettingsReader::user)),
                router.redisPassword().or(() -> userInfo.flatMap(RedisSettingsReader::password).map(Secret::of)),
                keyPrefix));
    }

    /** The one server of {@code redis_url}, else of {@code redis_host} and {@code redis_port}, as LiteLLM. */
    private static Optional<URI> server(RouterSettings router) {
        if (router.redisUrl().isPresent()) {
            URI url = router.redisUrl().get();
            int port = url.getPort() == -1 ? RedisSettings.DEFAULT_PORT : url.getPort();
            return RedisSettings.endpoint(url.getScheme().toLowerCase(Locale.ROOT), url.getHost(), port);
        }
        return router.redisHost().flatMap(host ->
                RedisSettings.endpoint("redis", host, router.redisPort().orElse(RedisSettings.DEFAULT_PORT)));
    }

    /** The part before the first colon of {@code user:password}; none if empty. */
    private static Optional<String> user(String rawUserInfo) {
        return decoded(rawUserInfo.substring(0, rawUserInfo.indexOf(':')));
    }

    /** The part after the first colon of {@code user:password}; none if empty. */
    private static Optional<String> password(String rawUserInfo) {
        return decoded(rawUserInfo.substring(rawUserInfo.indexOf(':') + 1));
    }

    private static Optional<String> decoded(String raw) {
        // A URI's escapes are %XX only: a '+' is a plus, not URLDecoder's space.
        String text = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    private static String keyPrefix(ConfigNode node) {
        String text = node.string(Expected.KEY_PREFIX);
        if (!RedisSettings.isKeyPrefix(text)) throw node.mismatch(Expected.KEY_PREFIX);
        return text;
    }

    private static List<URI> clusterNodes(ConfigNode node) {
        List<ConfigNode> items = node.list(Expected.REDIS_SEEDS);
        if (items.isEmpty()) throw node.context().error(node.path(), Expected.REDIS_SEEDS, Found.EMPTY_LIST);
        List<URI> seeds = items.stream().map(ConfigNode::redisSeed).toList();
        String scheme = seeds.get(0).getScheme();
        for (int i = 1; i < seeds.size(); i++) {
            if (!seeds.get(i).getScheme().equals(scheme)) {
                throw items.get(i).mismatch(Expected.sameSchemeAs(scheme, items.get(0).path()));
            }
        }
        return seeds;
    }
}
