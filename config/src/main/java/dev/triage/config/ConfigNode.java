package dev.triage.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One value of the document with the path people see in errors, after {@code os.environ/NAME}
 * is resolved. A value from the environment is always text, so where a number or a boolean is
 * expected such text is parsed; text written in the YAML itself is not (a quoted "5" is no rpm).
 */
final class ConfigNode {
    static final String ENV_PREFIX = "os.environ/";
    private static final BigDecimal MAX_LONG = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal BYTES_PER_MEGABYTE = BigDecimal.valueOf(1024 * 1024);
    private static final Set<String> REDIS_SCHEMES = Set.of("redis", "rediss");

    private final ReadContext context;
    private final String path;
    private final Object value;
    private final String variable;

    private ConfigNode(ReadContext context, String path, Object value, String variable) {
        this.context = context;
        this.path = path;
        this.value = value;
        this.variable = variable;
    }

    static ConfigNode of(ReadContext context, String path, Object raw) {
        if (raw instanceof String text && text.startsWith(ENV_PREFIX)) {
            String name = text.substring(ENV_PREFIX.length());
            if (name.isEmpty()) {
                throw context.error(path, Expected.ENV_NAME, Found.quoted(text));
            }
            String resolved = context.environmentVariable(name);
            if (resolved == null) {
                throw context.error(path, Expected.environmentVariable(name), Found.UNSET);
            }
            return new ConfigNode(context, path, resolved, name);
        }
        return new ConfigNode(context, path, raw, null);
    }

    String path() {
        return path;
    }

    ReadContext context() {
        return context;
    }

    ConfigException mismatch(String expected) {
        return context.error(path, expected, shown());
    }

    /** The value as errors show it: {@code 5}, {@code "text"} or {@code a map}, and where it came from. */
    String shown() {
        return withSource(Found.value(value));
    }

    private ConfigException maskedMismatch(String expected) {
        return context.error(path, expected, withSource(Found.kind(value)));
    }

    private String withSource(String shown) {
        return variable == null ? shown : Found.fromEnvironment(shown, variable);
    }

    ConfigSection section() {
        if (value instanceof Map<?, ?> map) {
            return ConfigSection.of(context, path, map);
        }
        throw mismatch(Expected.MAP);
    }

    List<ConfigNode> list(String expected) {
        if (value instanceof List<?> items) {
            List<ConfigNode> nodes = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                nodes.add(of(context, path + "[" + i + "]", items.get(i)));
            }
            return nodes;
        }
        throw mismatch(expected);
    }

    String string() {
        return string(Expected.NON_EMPTY_STRING);
    }

    String string(String expected) {
        if (value instanceof String text && !text.isEmpty()) {
            return text;
        }
        throw mismatch(expected);
    }

    /** Any string, the empty one included. */
    String text() {
        if (value instanceof String text) {
            return text;
        }
        throw mismatch(Expected.STRING);
    }

    Secret secret() {
        if (value instanceof String text && !text.isEmpty()) {
            return Secret.of(text);
        }
        throw maskedMismatch(Expected.NON_EMPTY_STRING);
    }

    /** A deployment id: text, or an integer written without quotes. */
    String deploymentId() {
        if (value instanceof String text && !text.isEmpty()) {
            return text;
        }
        if (value instanceof Integer || value instanceof Long) {
            return value.toString();
        }
        throw mismatch(Expected.DEPLOYMENT_ID);
    }

    long signedLong() {
        return integer(Expected.SIGNED_64_BIT_INTEGER);
    }

    long positiveLong() {
        long number = integer(Expected.POSITIVE_INTEGER);
        if (number < 1) {
            throw mismatch(Expected.POSITIVE_INTEGER);
        }
        return number;
    }

    int positiveInt() {
        return intBetween(1, Integer.MAX_VALUE, Expected.POSITIVE_INTEGER);
    }

    int nonNegativeInt() {
        return intBetween(0, Integer.MAX_VALUE, Expected.NON_NEGATIVE_INTEGER);
    }

    int order() {
        return intBetween(1, Integer.MAX_VALUE, Expected.ORDER);
    }

    int port() {
        return intBetween(1, 65_535, Expected.PORT);
    }

    private int intBetween(long min, long max, String expected) {
        long number = integer(expected);
        if (number < min || number > max) {
            throw mismatch(expected);
        }
        return (int) number;
    }

    /** Booleans, decimals and integers beyond 64 bits (SnakeYAML's BigInteger) are refused. */
    private long integer(String expected) {
        if (variable != null) {
            try {
                return Long.parseLong(((String) value).trim());
            } catch (NumberFormatException e) {
                throw mismatch(expected);
            }
        }
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        throw mismatch(expected);
    }

    /** Seconds as LiteLLM writes them ({@code 0.03}, {@code 600}), kept exact to the nanosecond. */
    Duration positiveSeconds() {
        BigDecimal nanos = decimal(Expected.POSITIVE_SECONDS).movePointRight(9).setScale(0, RoundingMode.HALF_UP);
        if (nanos.signum() <= 0 || nanos.compareTo(MAX_LONG) > 0) {
            throw mismatch(Expected.POSITIVE_SECONDS);
        }
        return Duration.ofNanos(nanos.longValueExact());
    }

    /**
     * Megabytes as LiteLLM's {@code max_request_size_mb} ({@code 32}, {@code 0.5}), in bytes: LiteLLM's
     * megabyte is 1024 * 1024 bytes. A part of a byte is dropped.
     */
    long positiveMegabytes() {
        BigDecimal bytes = decimal(Expected.POSITIVE_MEGABYTES).multiply(BYTES_PER_MEGABYTE)
                .setScale(0, RoundingMode.DOWN);
        if (bytes.signum() <= 0 || bytes.compareTo(MAX_LONG) > 0) {
            throw mismatch(Expected.POSITIVE_MEGABYTES);
        }
        return bytes.longValueExact();
    }

    private BigDecimal decimal(String expected) {
        if (variable != null) {
            try {
                return new BigDecimal(((String) value).trim());
            } catch (NumberFormatException e) {
                throw mismatch(expected);
            }
        }
        if (value instanceof Integer || value instanceof Long) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof Double number && Double.isFinite(number)) {
            return BigDecimal.valueOf(number);
        }
        throw mismatch(expected);
    }

    boolean bool() {
        if (value instanceof Boolean flag) {
            return flag;
        }
        if (variable != null) {
            String text = ((String) value).trim().toLowerCase(Locale.ROOT);
            if (text.equals("true") || text.equals("false")) {
                return Boolean.parseBoolean(text);
            }
        }
        throw mismatch(Expected.BOOLEAN);
    }

    URI httpUrl() {
        return url(Set.of("http", "https"), Expected.HTTP_URL);
    }

    /**
     * A redis:// or rediss:// URL whose user info, if any, is {@code user:password} or {@code :password}, of
     * database 0 (the only one Redis Cluster has: a fleet's keys are one keyspace), without options.
     */
    URI redisUrl() {
        URI uri = url(REDIS_SCHEMES, Expected.REDIS_URL);
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.contains(":")) {
            // redis-py reads a lone word as the user, Lettuce as the password: say which it is.
            throw urlMismatch(Expected.REDIS_USER_INFO);
        }
        String database = uri.getRawPath();
        if (!(database.isEmpty() || database.equals("/") || database.equals("/0"))) {
            throw urlMismatch(Expected.REDIS_DATABASE_ZERO);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw urlMismatch(Expected.REDIS_URL_WITHOUT_OPTIONS);
        }
        return uri;
    }

    /** A host name or IP address that a redis:// URL can hold. */
    String redisHost() {
        String host = string(Expected.REDIS_HOST);
        if (RedisSettings.endpoint("redis", host, RedisSettings.DEFAULT_PORT).isEmpty()) {
            throw mismatch(Expected.REDIS_HOST);
        }
        return host;
    }

    /**
     * A Redis Cluster seed, {@code host:port} (over redis://) or a redis:// or rediss:// URL of a host and a port
     * (6379 if none), as an endpoint without credentials: those are {@code redis_username} and
     * {@code redis_password}, the same for every seed.
     */
    URI redisSeed() {
        String text = string(Expected.REDIS_SEED);
        boolean bare = !text.contains("://");
        if (bare && !ClusterSettingsReader.isHostAndPort(text)) {
            throw urlMismatch(Expected.REDIS_SEED);
        }
        URI uri;
        try {
            uri = new URI(bare ? "redis://" + text : text);
        } catch (URISyntaxException e) {
            throw urlMismatch(Expected.REDIS_SEED);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String rawPath = uri.getRawPath();
        boolean endpointOnly = uri.getRawUserInfo() == null && (rawPath.isEmpty() || rawPath.equals("/"))
                && uri.getRawQuery() == null && uri.getRawFragment() == null;
        if (!REDIS_SCHEMES.contains(scheme) || uri.getHost() == null || !endpointOnly) {
            throw urlMismatch(Expected.REDIS_SEED);
        }
        int port = uri.getPort() == -1 ? RedisSettings.DEFAULT_PORT : uri.getPort();
        return RedisSettings.endpoint(scheme, uri.getHost(), port).orElseThrow(() -> urlMismatch(Expected.REDIS_SEED));
    }

    private URI url(Set<String> schemes, String expected) {
        if (!(value instanceof String text)) {
            throw mismatch(expected);
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            if (scheme != null && schemes.contains(scheme.toLowerCase(Locale.ROOT)) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below, like any other text that is no such URL
        }
        throw urlMismatch(expected);
    }

    /** Like {@link #mismatch}, with the user info masked, also in {@code user:password@host} without a scheme. */
    private ConfigException urlMismatch(String expected) {
        String text = (String) value;
        String masked = text.contains("://")
                ? ConfigDescription.maskUserInfo(text)
                : text.replaceFirst("^[^/@]*@", Secret.MASK + "@");
        return context.error(path, expected, withSource(Found.quoted(masked)));
    }
}
