package dev.triage.config;

import java.util.Collection;

/** What a value should have been: the "expected ..." half of every {@link ConfigException}. */
final class Expected {
    static final String VALID_YAML = "valid YAML";
    static final String READABLE_FILE = "a readable UTF-8 file";
    static final String TOP_LEVEL_MAP = "a map of sections (model_list, router_settings, ...)";
    static final String MAP = "a map";
    static final String LIST = "a list";
    static final String STRING_KEYS = "string keys";
    static final String UNIQUE_KEY = "each key once";
    static final String STRING = "a string";
    static final String NON_EMPTY_STRING = "a non-empty string";
    static final String DEPLOYMENT_LIST = "a non-empty list of deployments";
    static final String DEPLOYMENT_ID = "a non-empty string or an integer";
    static final String UNIQUE_DEPLOYMENT_ID = "a deployment id used once";
    static final String POSITIVE_INTEGER = "a positive integer";
    static final String NON_NEGATIVE_INTEGER = "a non-negative integer";
    static final String ORDER = "an integer of at least 1";
    static final String SIGNED_64_BIT_INTEGER = "an integer within signed 64 bits";
    static final String POSITIVE_SECONDS = "a positive number of seconds";
    static final String POSITIVE_MEGABYTES = "a positive number of megabytes";
    static final String BOOLEAN = "true or false";
    static final String HTTP_URL = "an http:// or https:// URL with a host";
    static final String REDIS_URL = "a redis:// or rediss:// URL with a host";
    static final String REDIS_USER_INFO = "a redis:// or rediss:// URL whose user info is user:password or :password";
    static final String REDIS_DATABASE_ZERO = "a redis:// or rediss:// URL of database 0 or of none,"
            + " as Triage keeps its keys in one keyspace (Redis Cluster has only database 0)";
    static final String REDIS_URL_WITHOUT_OPTIONS = "a redis:// or rediss:// URL without a query or fragment";
    static final String REDIS_HOST = "a host name or IP address, without a port (that is redis_port)";
    static final String REDIS_SEED = "host:port, or a redis:// or rediss:// URL with a host and an optional port"
            + " but no user info (that is router_settings.redis_username and redis_password) or path";
    static final String REDIS_SEEDS = "a non-empty list of Redis Cluster seeds";
    static final String ONE_REDIS_SERVER_SETTING = "either router_settings.redis_host/redis_url or redis.cluster_nodes";
    static final String KEY_PREFIX = RedisSettings.KEY_PREFIX_EXPECTED;
    static final String PORT = "a port from 1 to 65535";
    static final String MEMBER = "host:port with a port from 1 to 65535";
    static final String BIND_ADDRESS = ClusterSettings.BIND_ADDRESS_EXPECTED;
    static final String ONE_JOIN_METHOD = "either cluster.members or cluster.kubernetes";
    static final String SHALLOW_MAP = "a map nested at most " + FrozenYaml.MAX_DEPTH + " levels deep";
    static final String ENV_NAME = "an environment variable name after os.environ/";

    private Expected() {}

    static String environmentVariable(String name) {
        return "environment variable " + name + " to be set";
    }

    /** All seeds of one cluster are reached with or all without TLS. */
    static String sameSchemeAs(String scheme, String firstSeedPath) {
        return "a seed over " + scheme + ":// like " + firstSeedPath + ", as one TLS setting covers the whole cluster";
    }

    static String oneOf(Collection<String> names) {
        return "one of " + String.join(", ", names);
    }

    /** For a provider without a default api_base, e.g. {@code hosted_vllm/}. */
    static String apiBaseFor(String model) {
        String provider = Providers.prefix(model).orElse(model);
        return HTTP_URL + ", as " + provider + "/ models have no default api_base";
    }

    static String atLeastMaxRequestSize(String requestSize) {
        return "a number of megabytes no smaller than max_request_size_mb (" + requestSize + ")";
    }

    static String atMostMaxWaitingBody(String waitingSize) {
        return "a number of megabytes no larger than max_waiting_body_mb (" + waitingSize + ")";
    }

    static String callableDeploymentIn(String group) {
        return "a provider Triage can call (" + Providers.describeSupported()
                + ") or a mock_response, as model group \"" + group + "\" has no other deployment";
    }
}
