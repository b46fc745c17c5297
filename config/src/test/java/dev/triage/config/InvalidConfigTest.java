package dev.triage.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each invalid config and the exact message a person gets for it. */
class InvalidConfigTest {
    private static final String ONE_DEPLOYMENT = """
            model_list:
              - model_name: gpt-4o
                litellm_params:
                  model: gpt-4o
            """;

    /** A config whose third deployment has the given litellm_params lines. */
    private static String thirdDeployment(String params) {
        return """
                model_list:
                  - {model_name: a, litellm_params: {model: gpt-4o}}
                  - {model_name: a, litellm_params: {model: gpt-4o}}
                  - model_name: a
                    litellm_params:
                      model: gpt-4o
                """ + "      " + params + "\n";
    }

    private static String withSection(String section) {
        return ONE_DEPLOYMENT + section;
    }

    static Stream<Arguments> invalidConfigs() {
        return Stream.of(
                // litellm_params
                invalid("negative rpm", thirdDeployment("rpm: -5"),
                        "model_list[2].litellm_params.rpm: expected a positive integer, found -5"),
                invalid("rpm written as a string", thirdDeployment("rpm: \"5\""),
                        "model_list[2].litellm_params.rpm: expected a positive integer, found \"5\""),
                invalid("rpm written as a boolean", thirdDeployment("rpm: yes"),
                        "model_list[2].litellm_params.rpm: expected a positive integer, found true"),
                invalid("decimal rpm", thirdDeployment("rpm: 1.5"),
                        "model_list[2].litellm_params.rpm: expected a positive integer, found 1.5"),
                invalid("rpm beyond 64 bits", thirdDeployment("rpm: 99999999999999999999"),
                        "model_list[2].litellm_params.rpm: expected a positive integer, found 99999999999999999999"),
                invalid("zero tpm", thirdDeployment("tpm: 0"),
                        "model_list[2].litellm_params.tpm: expected a positive integer, found 0"),
                invalid("max_parallel_requests beyond an int", thirdDeployment("max_parallel_requests: 3000000000"),
                        "model_list[2].litellm_params.max_parallel_requests: expected a positive integer, "
                                + "found 3000000000"),
                invalid("zero weight", thirdDeployment("weight: 0"),
                        "model_list[2].litellm_params.weight: expected a positive integer, found 0"),
                invalid("zero order", thirdDeployment("order: 0"),
                        "model_list[2].litellm_params.order: expected an integer of at least 1, found 0"),
                invalid("negative timeout", thirdDeployment("timeout: -1"),
                        "model_list[2].litellm_params.timeout: expected a positive number of seconds, found -1"),
                invalid("timeout written as a string", thirdDeployment("timeout: \"30\""),
                        "model_list[2].litellm_params.timeout: expected a positive number of seconds, found \"30\""),
                invalid("ftp api_base", thirdDeployment("api_base: ftp://files.example.com"),
                        "model_list[2].litellm_params.api_base: expected an http:// or https:// URL with a host, "
                                + "found \"ftp://files.example.com\""),
                invalid("api_base without a host", thirdDeployment("api_base: localhost:8000"),
                        "model_list[2].litellm_params.api_base: expected an http:// or https:// URL with a host, "
                                + "found \"localhost:8000\""),
                invalid("api_key written as a number, not shown", thirdDeployment("api_key: 123456"),
                        "model_list[2].litellm_params.api_key: expected a non-empty string, found an integer"),
                invalid("os.environ without a name", thirdDeployment("api_key: os.environ/"),
                        "model_list[2].litellm_params.api_key: expected an environment variable name after "
                                + "os.environ/, found \"os.environ/\""),
                invalid("unset environment variable", thirdDeployment("api_key: os.environ/OPENAI_API_KEY"),
                        "model_list[2].litellm_params.api_key: expected environment variable OPENAI_API_KEY "
                                + "to be set, found it unset"),
                invalid("hosted_vllm deployment without api_base",
                        "model_list:\n  - {model_name: a, litellm_params: {model: hosted_vllm/llama-3}}\n",
                        "model_list[0].litellm_params.api_base: expected an http:// or https:// URL with a host, "
                                + "as hosted_vllm/ models have no default api_base, found nothing"),
                invalid("custom_openai deployment without api_base", """
                        model_list:
                          - {model_name: a, litellm_params: {model: gpt-4o}}
                          - {model_name: b, litellm_params: {model: custom_openai/any, api_base: http://proxy:8080}}
                          - {model_name: b, litellm_params: {model: custom_openai/any}}
                        """,
                        "model_list[2].litellm_params.api_base: expected an http:// or https:// URL with a host, "
                                + "as custom_openai/ models have no default api_base, found nothing"),
                invalid("duplicate key in a deployment", thirdDeployment("rpm: 1\n      rpm: 2"),
                        "model_list[2].litellm_params.rpm: expected each key once, "
                                + "found \"rpm\" again at line 8, column 7"),

                // model_list
                invalid("no model_list", "router_settings:\n  timeout: 1\n",
                        "model_list: expected a non-empty list of deployments, found nothing"),
                invalid("empty model_list", "model_list: []\n",
                        "model_list: expected a non-empty list of deployments, found an empty list"),
                invalid("model_list as a map", "model_list:\n  gpt-4o: {}\n",
                        "model_list: expected a non-empty list of deployments, found a map"),
                invalid("deployment as a string", "model_list:\n  - gpt-4o\n",
                        "model_list[0]: expected a map, found \"gpt-4o\""),
                invalid("no model_name", "model_list:\n  - litellm_params: {model: gpt-4o}\n",
                        "model_list[0].model_name: expected a non-empty string, found nothing"),
                invalid("numeric model_name", "model_list:\n  - {model_name: 4, litellm_params: {model: gpt-4o}}\n",
                        "model_list[0].model_name: expected a non-empty string, found 4"),
                invalid("no litellm_params", "model_list:\n  - model_name: gpt-4o\n",
                        "model_list[0].litellm_params: expected a map, found nothing"),
                invalid("litellm_params as a list", "model_list:\n  - {model_name: a, litellm_params: [gpt-4o]}\n",
                        "model_list[0].litellm_params: expected a map, found a list"),
                invalid("no model", "model_list:\n  - {model_name: a, litellm_params: {rpm: 1}}\n",
                        "model_list[0].litellm_params.model: expected a non-empty string, found nothing"),
                invalid("model_info that contains itself", ONE_DEPLOYMENT + "    model_info: &info\n      self: *info\n",
                        "model_list[0].model_info: expected a map nested at most 64 levels deep, "
                                + "found a deeper or recursive structure"),
                invalid("model_info as a list", ONE_DEPLOYMENT + "    model_info: [1]\n",
                        "model_list[0].model_info: expected a map, found a list"),
                invalid("duplicate deployment id", """
                        model_list:
                          - {model_name: a, litellm_params: {model: gpt-4o}, model_info: {id: east}}
                          - {model_name: b, litellm_params: {model: gpt-4o}, model_info: {id: east}}
                        """,
                        "model_list[1].model_info.id: expected a deployment id used once, "
                                + "found \"east\", already the id of model_list[0]"),
                invalid("explicit id equal to a generated one", """
                        model_list:
                          - {model_name: a, litellm_params: {model: gpt-4o}}
                          - {model_name: b, litellm_params: {model: gpt-4o}, model_info: {id: a-0}}
                        """,
                        "model_list[1].model_info.id: expected a deployment id used once, "
                                + "found \"a-0\", already the id of model_list[0]"),
                invalid("group with only unsupported providers", """
                        model_list:
                          - {model_name: gpt-4o, litellm_params: {model: gpt-4o}}
                          - {model_name: claude, litellm_params: {model: bedrock/anthropic.claude-v2}}
                          - {model_name: claude, litellm_params: {model: vertex_ai/claude-3}}
                        """,
                        "model_list[1].litellm_params.model: expected a provider Triage can call (no prefix, "
                                + "openai/, custom_openai/, hosted_vllm/) or a mock_response, as model group "
                                + "\"claude\" has no other deployment, found \"bedrock/anthropic.claude-v2\""),

                // top level and router_settings
                invalid("a list at the top level", "- model_list\n",
                        "(top level): expected a map of sections (model_list, router_settings, ...), found a list"),
                invalid("router_settings as a list", withSection("router_settings:\n  - timeout\n"),
                        "router_settings: expected a map, found a list"),
                invalid("strategy Triage does not implement",
                        withSection("router_settings:\n  routing_strategy: latency-based-routing\n"),
                        "router_settings.routing_strategy: expected one of simple-shuffle, least-busy, "
                                + "usage-based-routing, usage-based-routing-v2, found \"latency-based-routing\", "
                                + "a LiteLLM strategy Triage does not implement yet"),
                invalid("cost-based routing", withSection("router_settings:\n  routing_strategy: cost-based-routing\n"),
                        "router_settings.routing_strategy: expected one of simple-shuffle, least-busy, "
                                + "usage-based-routing, usage-based-routing-v2, found \"cost-based-routing\", "
                                + "a LiteLLM strategy Triage does not implement yet"),
                invalid("unknown strategy", withSection("router_settings:\n  routing_strategy: fastest\n"),
                        "router_settings.routing_strategy: expected one of simple-shuffle, least-busy, "
                                + "usage-based-routing, usage-based-routing-v2, found \"fastest\""),
                invalid("default_priority as a string", withSection("router_settings:\n  default_priority: \"1\"\n"),
                        "router_settings.default_priority: expected an integer within signed 64 bits, found \"1\""),
                invalid("default_priority beyond 64 bits",
                        withSection("router_settings:\n  default_priority: 9223372036854775808\n"),
                        "router_settings.default_priority: expected an integer within signed 64 bits, "
                                + "found 9223372036854775808"),
                invalid("zero polling_interval", withSection("router_settings:\n  polling_interval: 0\n"),
                        "router_settings.polling_interval: expected a positive number of seconds, found 0"),
                invalid("infinite timeout", withSection("router_settings:\n  timeout: .inf\n"),
                        "router_settings.timeout: expected a positive number of seconds, found Infinity"),
                invalid("redis_url over http", withSection("router_settings:\n  redis_url: http://redis:6379\n"),
                        "router_settings.redis_url: expected a redis:// or rediss:// URL with a host, "
                                + "found \"http://redis:6379\""),
                invalid("redis_port out of range", withSection("router_settings:\n  redis_port: 70000\n"),
                        "router_settings.redis_port: expected a port from 1 to 65535, found 70000"),
                invalid("allowed_fails as a boolean", withSection("router_settings:\n  allowed_fails: true\n"),
                        "router_settings.allowed_fails: expected a non-negative integer, found true"),
                invalid("zero max_queue_size", withSection("router_settings:\n  max_queue_size: 0\n"),
                        "router_settings.max_queue_size: expected a positive integer, found 0"),
                invalid("duplicate router key", withSection("router_settings:\n  timeout: 1\n  timeout: 2\n"),
                        "router_settings.timeout: expected each key once, found \"timeout\" again at line 7, column 3"),
                invalid("a key that is no string", withSection("router_settings:\n  1: timeout\n"),
                        "router_settings: expected string keys, found the key 1"),

                // litellm_settings and general_settings
                invalid("negative num_retries", withSection("litellm_settings:\n  num_retries: -1\n"),
                        "litellm_settings.num_retries: expected a non-negative integer, found -1"),
                invalid("zero request_timeout", withSection("litellm_settings:\n  request_timeout: 0\n"),
                        "litellm_settings.request_timeout: expected a positive number of seconds, found 0"),
                invalid("cancel_on_disconnect as a string",
                        withSection("general_settings:\n  cancel_on_disconnect: \"yes\"\n"),
                        "general_settings.cancel_on_disconnect: expected true or false, found \"yes\""),
                invalid("empty master_key", withSection("general_settings:\n  master_key: \"\"\n"),
                        "general_settings.master_key: expected a non-empty string, found a string"),
                invalid("zero max_request_size_mb", withSection("general_settings:\n  max_request_size_mb: 0\n"),
                        "general_settings.max_request_size_mb: expected a positive number of megabytes, found 0"),
                invalid("max_request_size_mb under one byte",
                        withSection("general_settings:\n  max_request_size_mb: 0.0000001\n"),
                        "general_settings.max_request_size_mb: expected a positive number of megabytes, found 1.0E-7"),
                invalid("max_request_size_mb written as a string",
                        withSection("general_settings:\n  max_request_size_mb: \"32\"\n"),
                        "general_settings.max_request_size_mb: expected a positive number of megabytes, found \"32\""),
                invalid("negative max_waiting_body_mb", withSection("general_settings:\n  max_waiting_body_mb: -1\n"),
                        "general_settings.max_waiting_body_mb: expected a positive number of megabytes, found -1"),
                invalid("max_waiting_body_mb under max_request_size_mb",
                        withSection("general_settings:\n  max_request_size_mb: 64\n  max_waiting_body_mb: 16\n"),
                        "general_settings.max_waiting_body_mb: expected a number of megabytes no smaller than "
                                + "max_request_size_mb (64), found 16"),
                invalid("max_waiting_body_mb under the default max_request_size_mb",
                        withSection("general_settings:\n  max_waiting_body_mb: 16\n"),
                        "general_settings.max_waiting_body_mb: expected a number of megabytes no smaller than "
                                + "max_request_size_mb (32, its default), found 16"),
                invalid("max_request_size_mb over the default max_waiting_body_mb",
                        withSection("general_settings:\n  max_request_size_mb: 512\n"),
                        "general_settings.max_request_size_mb: expected a number of megabytes no larger than "
                                + "max_waiting_body_mb (256, its default), found 512"),

                // cluster
                invalid("unknown cluster key", withSection("cluster:\n  nmae: prod\n"),
                        "cluster.nmae: expected one of name, port, members, kubernetes, lease_bound, min_members, "
                                + "host, found a key Triage does not know (did you mean name?)"),
                invalid("cluster host name", withSection("cluster:\n  host: node-a\n"),
                        "cluster.host: expected an IPv4 address of this machine, such as 10.0.0.5, or 0.0.0.0 for "
                                + "every interface, found \"node-a\""),
                invalid("cluster host out of range", withSection("cluster:\n  host: 10.0.0.256\n"),
                        "cluster.host: expected an IPv4 address of this machine, such as 10.0.0.5, or 0.0.0.0 for "
                                + "every interface, found \"10.0.0.256\""),
                invalid("member without a port", withSection("cluster:\n  members: [node-a:5701, node-b]\n"),
                        "cluster.members[1]: expected host:port with a port from 1 to 65535, found \"node-b\""),
                invalid("member port out of range", withSection("cluster:\n  members: [node-a:70000]\n"),
                        "cluster.members[0]: expected host:port with a port from 1 to 65535, found \"node-a:70000\""),
                invalid("members as a string", withSection("cluster:\n  members: node-a:5701\n"),
                        "cluster.members: expected a list, found \"node-a:5701\""),
                invalid("cluster port zero", withSection("cluster:\n  port: 0\n"),
                        "cluster.port: expected a port from 1 to 65535, found 0"),
                invalid("zero lease_bound", withSection("cluster:\n  lease_bound: 0\n"),
                        "cluster.lease_bound: expected a positive number of seconds, found 0"),
                invalid("zero min_members", withSection("cluster:\n  min_members: 0\n"),
                        "cluster.min_members: expected a positive integer, found 0"),
                invalid("kubernetes without service_dns",
                        withSection("cluster:\n  kubernetes:\n    service_port: 5701\n"),
                        "cluster.kubernetes.service_dns: expected a non-empty string, found nothing"),
                invalid("unknown kubernetes key", withSection("cluster:\n  kubernetes:\n    namespace: default\n"),
                        "cluster.kubernetes.namespace: expected one of service_dns, service_port, "
                                + "found a key Triage does not know"),
                invalid("both members and kubernetes",
                        withSection("cluster:\n  members: [a:5701]\n  kubernetes: {service_dns: triage}\n"),
                        "cluster.kubernetes: expected either cluster.members or cluster.kubernetes, found both"),

                // Redis: router_settings and the redis section
                invalid("redis_url of database 2", withSection("router_settings:\n  redis_url: redis://:pw@r:6379/2\n"),
                        "router_settings.redis_url: expected a redis:// or rediss:// URL of database 0 or of none, "
                                + "as Triage keeps its keys in one keyspace (Redis Cluster has only database 0), "
                                + "found \"redis://****@r:6379/2\""),
                invalid("redis_url with a query", withSection("router_settings:\n  redis_url: redis://r?db=3\n"),
                        "router_settings.redis_url: expected a redis:// or rediss:// URL without a query or fragment, "
                                + "found \"redis://r?db=3\""),
                invalid("redis_url whose user info is one word",
                        withSection("router_settings:\n  redis_url: redis://hunter2@r:6379\n"),
                        "router_settings.redis_url: expected a redis:// or rediss:// URL whose user info is "
                                + "user:password or :password, found \"redis://****@r:6379\""),
                invalid("redis_host with a port", withSection("router_settings:\n  redis_host: redis:6380\n"),
                        "router_settings.redis_host: expected a host name or IP address, without a port "
                                + "(that is redis_port), found \"redis:6380\""),
                invalid("redis_host no URI can hold", withSection("router_settings:\n  redis_host: redis_master\n"),
                        "router_settings.redis_host: expected a host name or IP address, without a port "
                                + "(that is redis_port), found \"redis_master\""),
                invalid("redis_username as a number", withSection("router_settings:\n  redis_username: 7\n"),
                        "router_settings.redis_username: expected a non-empty string, found 7"),
                invalid("unknown redis key", withSection("redis:\n  key_prefx: eu\n"),
                        "redis.key_prefx: expected one of key_prefix, cluster_nodes, "
                                + "found a key Triage does not know (did you mean key_prefix?)"),
                invalid("redis as a list", withSection("redis:\n  - key_prefix\n"),
                        "redis: expected a map, found a list"),
                invalid("key_prefix with a colon", withSection("redis:\n  key_prefix: eu:prod\n"),
                        "redis.key_prefix: expected a string of letters, digits, '-', '_' and '.' (it becomes part "
                                + "of the hash tag {triage:<prefix>:<group>}), found \"eu:prod\""),
                invalid("key_prefix with a brace", withSection("redis:\n  key_prefix: \"eu}\"\n"),
                        "redis.key_prefix: expected a string of letters, digits, '-', '_' and '.' (it becomes part "
                                + "of the hash tag {triage:<prefix>:<group>}), found \"eu}\""),
                invalid("key_prefix with a space", withSection("redis:\n  key_prefix: eu prod\n"),
                        "redis.key_prefix: expected a string of letters, digits, '-', '_' and '.' (it becomes part "
                                + "of the hash tag {triage:<prefix>:<group>}), found \"eu prod\""),
                invalid("empty cluster_nodes", withSection("redis:\n  cluster_nodes: []\n"),
                        "redis.cluster_nodes: expected a non-empty list of Redis Cluster seeds, found an empty list"),
                invalid("cluster_nodes as a string", withSection("redis:\n  cluster_nodes: a:7000\n"),
                        "redis.cluster_nodes: expected a non-empty list of Redis Cluster seeds, found \"a:7000\""),
                invalid("seed without a port", withSection("redis:\n  cluster_nodes: [a:7000, b]\n"),
                        "redis.cluster_nodes[1]: expected host:port, or a redis:// or rediss:// URL with a host and "
                                + "an optional port but no user info (that is router_settings.redis_username and "
                                + "redis_password) or path, found \"b\""),
                invalid("seed with credentials", withSection("redis:\n  cluster_nodes: [\"redis://:pw@a:7000\"]\n"),
                        "redis.cluster_nodes[0]: expected host:port, or a redis:// or rediss:// URL with a host and "
                                + "an optional port but no user info (that is router_settings.redis_username and "
                                + "redis_password) or path, found \"redis://****@a:7000\""),
                invalid("seed with credentials and no scheme",
                        withSection("redis:\n  cluster_nodes: [\"pw@a:7000\"]\n"),
                        "redis.cluster_nodes[0]: expected host:port, or a redis:// or rediss:// URL with a host and "
                                + "an optional port but no user info (that is router_settings.redis_username and "
                                + "redis_password) or path, found \"****@a:7000\""),
                invalid("seed of a database", withSection("redis:\n  cluster_nodes: [\"redis://a:7000/1\"]\n"),
                        "redis.cluster_nodes[0]: expected host:port, or a redis:// or rediss:// URL with a host and "
                                + "an optional port but no user info (that is router_settings.redis_username and "
                                + "redis_password) or path, found \"redis://a:7000/1\""),
                invalid("seed over http", withSection("redis:\n  cluster_nodes: [\"http://a:7000\"]\n"),
                        "redis.cluster_nodes[0]: expected host:port, or a redis:// or rediss:// URL with a host and "
                                + "an optional port but no user info (that is router_settings.redis_username and "
                                + "redis_password) or path, found \"http://a:7000\""),
                invalid("seeds with and without TLS",
                        withSection("redis:\n  cluster_nodes: [\"rediss://a:7000\", b:7000]\n"),
                        "redis.cluster_nodes[1]: expected a seed over rediss:// like redis.cluster_nodes[0], "
                                + "as one TLS setting covers the whole cluster, found \"b:7000\""),
                invalid("cluster_nodes and redis_host",
                        withSection("router_settings:\n  redis_host: r\nredis:\n  cluster_nodes: [a:7000]\n"),
                        "redis.cluster_nodes: expected either router_settings.redis_host/redis_url or "
                                + "redis.cluster_nodes, found both"),

                // YAML itself
                invalid("unclosed flow sequence", "model_list: [\n",
                        "2:1: expected valid YAML, found expected the node content, but found '<stream end>' "
                                + "(while parsing a flow node)"),
                invalid("key without a space after its colon",
                        "model_list:\n  - model_name:a\n    litellm_params: {}\n",
                        "3:19: expected valid YAML, found mapping values are not allowed here"));
    }

    private static Arguments invalid(String name, String yaml, String messageAfterFile) {
        return arguments(named(name, yaml), "config.yaml: " + messageAfterFile);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void rejectsAnInvalidConfigWithItsPathAndWhatWasExpected(String yaml, String message) {
        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "config.yaml", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }
}
