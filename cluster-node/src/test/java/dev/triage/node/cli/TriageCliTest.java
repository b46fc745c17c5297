package dev.triage.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.config.TriageConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TriageCliTest {
    /** Maven runs the tests in the module's directory. */
    private static final Path MOCK_CONFIG = Path.of("../examples/mock-config.yaml");

    private static final String SECRET_CONFIG = """
            model_list:
              - model_name: gpt-4o
                litellm_params:
                  model: openai/gpt-4o
                  api_key: sk-upstream-456
                  rpm: 100
            router_settings:
              redis_host: redis.internal
              redis_password: redis-pass-789
            general_settings:
              master_key: sk-secret-123
            """;

    @TempDir
    Path dir;

    private final FakeStarter starter = new FakeStarter();

    @Test
    void helpPrintsUsageEveryFlagAndBothExamplesAndExitsZero() {
        Run run = run("--help");

        assertThat(run.exit).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("Usage: java -jar cluster-node/target/triage.jar --config FILE");
        for (Flag flag : Flag.values()) {
            assertThat(run.out()).containsOnlyOnce("\n  " + flag.synopsis() + " ");
        }
        assertThat(run.out())
                .contains("java -jar cluster-node/target/triage.jar --config examples/mock-config.yaml\n")
                .contains("java -jar cluster-node/target/triage.jar --check-config examples/mock-config.yaml\n")
                .contains("default 4000", "default 127.0.0.1");
        assertThat(starter.calls).isEmpty();
    }

    @Test
    void versionPrintsTheNameAndTheDevVersionOutsideTheJar() {
        Run run = run("--version");

        assertThat(run.exit).isZero();
        assertThat(run.out()).isEqualTo("triage dev\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void theReadmesCheckOfTheLitellmExampleSetsTheVariablesItNeedsAndQuotesTheErrorWithoutThem() throws IOException {
        String readme = Files.readString(Path.of("../README.md")).replaceAll("\\s+", " ");
        java.util.regex.Matcher command = java.util.regex.Pattern.compile(
                "((?:[A-Z_]+=\\S+ )+)java -jar cluster-node/target/triage.jar --check-config "
                        + "examples/litellm-seed-config.yaml").matcher(readme);
        assertThat(command.find()).as("the README's --check-config of the LiteLLM example").isTrue();
        Map<String, String> env = new java.util.HashMap<>();
        for (String assignment : command.group(1).trim().split(" ")) {
            env.put(assignment.substring(0, assignment.indexOf('=')), assignment.substring(assignment.indexOf('=') + 1));
        }
        String example = "../examples/litellm-seed-config.yaml";

        Run withVariables = run(env, "--check-config", example);
        Run without = run("--check-config", example);

        assertThat(withVariables.exit).as(withVariables.err()).isZero();
        assertThat(without.exit).isEqualTo(2);
        String error = without.err().substring(without.err().indexOf("expected"), without.err().indexOf(" to be set"));
        assertThat(readme).contains(error + " to be set");
    }

    @Test
    void checkConfigDescribesTheExampleConfigAndExitsZero() {
        Run run = run("--check-config", MOCK_CONFIG.toString());

        assertThat(run.exit).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out())
                .contains("source: " + MOCK_CONFIG, "  gpt-4o-mini:\n    - id: gpt-4o-mini-mock-a\n", "claude-mock:")
                .contains("name: triage-mock", "warnings: none");
        assertThat(starter.calls).isEmpty();
    }

    @Test
    void checkConfigMasksEverySecret() throws IOException {
        Run run = run("--check-config", write("secret.yaml", SECRET_CONFIG));

        assertThat(run.exit).isZero();
        assertThat(run.out() + run.err()).doesNotContain("sk-secret-123", "sk-upstream-456", "redis-pass-789");
        assertThat(run.out()).contains("master_key: ****", "api_key: ****", "redis_password: ****");
    }

    @Test
    void checkConfigOnABrokenConfigPrintsTheMessageWithThePathAndExitsTwo() throws IOException {
        String file = write("broken.yaml", """
                model_list:
                  - model_name: gpt-4o
                    litellm_params:
                      model: openai/gpt-4o
                      rpm: -5
                """);

        Run run = run("--check-config", file);

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .isEqualTo("error: " + file + ": model_list[0].litellm_params.rpm: expected a positive integer,"
                        + " found -5\n");
    }

    @Test
    void checkConfigShowsRedisModeAndTheServerItWillUse() throws IOException {
        Run run = run("--check-config", write("redis.yaml", SECRET_CONFIG));

        assertThat(run.exit).isZero();
        assertThat(run.out())
                .contains("  backend: REDIS\n")
                .contains("redis://redis.internal:6379")
                .doesNotContain("redis-pass-789")
                .doesNotContain("not available");
    }

    @Test
    void aDeploymentThatNeedsAnApiBaseAndHasNoneIsRefusedAtLoadWithItsPath() throws IOException {
        String file = write("vllm.yaml", """
                model_list:
                  - model_name: llama
                    litellm_params:
                      model: hosted_vllm/llama-3
                """);

        Run check = run("--check-config", file);
        Run start = run("--config", file);

        for (Run run : List.of(check, start)) {
            assertThat(run.exit).isEqualTo(2);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).isEqualTo("error: " + file + ": model_list[0].litellm_params.api_base: expected an"
                    + " http:// or https:// URL with a host, as hosted_vllm/ models have no default api_base,"
                    + " found nothing\n");
        }
        assertThat(starter.calls).isEmpty();
    }

    @Test
    void aConfigFileThatDoesNotExistIsAConfigErrorWithoutAStackTrace() {
        String missing = dir.resolve("missing.yaml").toString();

        Run check = run("--check-config", missing);
        Run start = run("--config", missing);

        for (Run run : List.of(check, start)) {
            assertThat(run.exit).isEqualTo(2);
            assertThat(run.err()).isEqualTo("error: " + missing + ": expected a readable UTF-8 file, found no such file\n");
        }
        assertThat(starter.calls).isEmpty();
    }

    @Test
    void aUsageErrorNamesTheFlagPointsAtHelpAndExitsTwo() {
        assertUsageError(run("--config", "c.yaml", "--bogus"), "error: unknown option --bogus; expected one of");
        assertUsageError(run("--config", "c.yaml", "--port"),
                "error: --port: expected a port from 1 to 65535, found nothing\n");
        assertUsageError(run("--config", "c.yaml", "--port", "0"),
                "error: --port: expected a port from 1 to 65535, found 0\n");
        assertUsageError(run("--config", "c.yaml", "--port", "70000"),
                "error: --port: expected a port from 1 to 65535, found 70000\n");
        assertUsageError(run("--config", "c.yaml", "--cluster-port", "abc"),
                "error: --cluster-port: expected a port from 1 to 65535, found \"abc\"\n");
        assertUsageError(run("--config", "c.yaml", "--members", "a:1,b"),
                "error: --members: expected a comma-separated list of host:port with ports from 1 to 65535,"
                        + " found \"b\" in \"a:1,b\"\n");
        assertUsageError(run(), "error: --config FILE is required");
        assertThat(starter.calls).isEmpty();
    }

    @Test
    void startPassesTheConfigAndTheCommandLineOptionsToTheStarter() {
        Run run = run("--config", MOCK_CONFIG.toString(), "--port", "4100", "--host", "127.0.0.1",
                "--cluster-port", "5801", "--members", "127.0.0.1:5801,127.0.0.1:5802", "--cluster-name", "blue");

        assertThat(run.exit).isZero();
        assertThat(starter.calls).hasSize(1);
        TriageConfig config = starter.calls.get(0).config();
        NodeOptions options = starter.calls.get(0).options();
        assertThat(config.source()).isEqualTo(MOCK_CONFIG.toString());
        assertThat(config.groups()).extracting(group -> group.name()).containsExactly("gpt-4o-mini", "claude-mock");
        assertThat(options.configFile()).isEqualTo(MOCK_CONFIG);
        assertThat(options.httpPort()).isEqualTo(4100);
        assertThat(options.httpHost()).isEqualTo("127.0.0.1");
        assertThat(options.effectiveCluster(config.cluster()).name()).isEqualTo("blue");
        assertThat(options.effectiveCluster(config.cluster()).port()).isEqualTo(5801);
        assertThat(options.effectiveCluster(config.cluster()).members())
                .containsExactly("127.0.0.1:5801", "127.0.0.1:5802");
    }

    @Test
    void startPrintsTheModelGroupsTheBackendAndTheUrlThenWaitsForShutdownAndCloses() {
        Run run = run("--config", MOCK_CONFIG.toString(), "--port", "4100");

        assertThat(run.exit).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("""
                model group gpt-4o-mini: 2 deployments: \
                gpt-4o-mini-mock-a (rpm 600, tpm -, max_parallel_requests 4, mock); \
                gpt-4o-mini-mock-b (rpm 600, tpm -, max_parallel_requests 4, mock)
                model group claude-mock: 1 deployment: claude-mock-a (rpm 60, tpm -, max_parallel_requests 2, mock)
                backend: embedded Hazelcast member, cluster triage-mock
                HTTP on 127.0.0.1:4100
                Triage listening on http://127.0.0.1:4100
                """);
        assertThat(starter.node.awaited).isTrue();
        assertThat(starter.node.closed).isTrue();
    }

    @Test
    void theBackendLineNamesTheClusterGivenOnTheCommandLine() {
        Run run = run("--config", MOCK_CONFIG.toString(), "--cluster-name", "blue");

        assertThat(run.out()).contains("backend: embedded Hazelcast member, cluster blue\n");
    }

    @Test
    void unlimitedLimitsArePrintedAsADashAndRealDeploymentsAreNotMarkedMock() throws IOException {
        String file = write("real.yaml", """
                model_list:
                  - model_name: gpt-4o
                    litellm_params:
                      model: openai/gpt-4o
                      api_key: sk-x
                      tpm: 90000
                """);

        Run run = run("--config", file);

        assertThat(run.out()).startsWith(
                "model group gpt-4o: 1 deployment: gpt-4o-0 (rpm -, tpm 90000, max_parallel_requests -)\n");
    }

    @Test
    void configWarningsArePrintedOnStandardErrorBeforeStarting() throws IOException {
        String file = write("warned.yaml", """
                model_list:
                  - model_name: gpt-4o
                    litellm_params:
                      model: openai/gpt-4o
                      mock_response: hi
                general_settings:
                  unknown_setting: 1
                """);

        Run run = run("--config", file);

        assertThat(run.exit).isZero();
        assertThat(run.err())
                .isEqualTo("warning: " + file + ": general_settings.unknown_setting: not used by Triage, ignored\n");
        assertThat(run.out()).doesNotContain("warning:")
                .contains("config " + file + ": 1 key not used by Triage and ignored (see the warnings above)\n"
                        + "Triage listening on");
    }

    @Test
    void aRedisConfigStartsInRedisModeAndSaysWhichServer() throws IOException {
        Run run = run("--config", write("redis.yaml", SECRET_CONFIG));

        assertThat(run.exit).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("backend: Redis at redis://redis.internal:6379, key prefix default\n");
        assertThat(run.out() + run.err()).doesNotContain("sk-secret-123", "sk-upstream-456", "redis-pass-789");
    }

    @Test
    void envReferencesAreResolvedFromTheGivenEnvironment() throws IOException {
        String file = write("env.yaml", """
                model_list:
                  - model_name: gpt-4o
                    litellm_params:
                      model: openai/gpt-4o
                      api_key: os.environ/OPENAI_API_KEY
                """);

        Run run = run(Map.of("OPENAI_API_KEY", "sk-from-env"), "--config", file);

        assertThat(run.exit).isZero();
        assertThat(starter.calls.get(0).config().groups().get(0).deployments().get(0).apiKey().orElseThrow().reveal())
                .isEqualTo("sk-from-env");
    }

    @Test
    void aStartFailureIsReportedWithItsMessageAndExitsOne() {
        starter.failure = new BindException("Address already in use: 0.0.0.0:4000");

        Run run = run("--config", MOCK_CONFIG.toString());

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: could not start: Address already in use: 0.0.0.0:4000\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aStartFailureWithoutAMessageIsReportedByItsType() {
        starter.failure = new IllegalStateException();

        Run run = run("--config", MOCK_CONFIG.toString());

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: could not start: java.lang.IllegalStateException\n");
    }

    private static void assertUsageError(Run run, String expectedStart) {
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .startsWith(expectedStart)
                .endsWith("\nRun with --help for usage.\n")
                .doesNotContain("Exception", "\tat ");
    }

    private String write(String name, String yaml) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file.toString();
    }

    private Run run(String... args) {
        return run(Map.of(), args);
    }

    private Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new TriageCli().run(args, print(out), print(err), env, starter);
        return new Run(exit, out, err);
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private record Run(int exit, ByteArrayOutputStream outBytes, ByteArrayOutputStream errBytes) {
        String out() {
            return outBytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
        }

        String err() {
            return errBytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
        }
    }

    private record Call(TriageConfig config, NodeOptions options) {}

    /** Records what it was asked to start; never opens a port. */
    private static final class FakeStarter implements NodeStarter {
        final List<Call> calls = new ArrayList<>();
        final FakeNode node = new FakeNode();
        Exception failure;

        @Override
        public RunningNode start(TriageConfig config, NodeOptions options) throws Exception {
            calls.add(new Call(config, options));
            if (failure != null) {
                throw failure;
            }
            node.url = "http://127.0.0.1:" + options.httpPort();
            return node;
        }
    }

    private static final class FakeNode implements RunningNode {
        String url;
        boolean awaited;
        boolean closed;

        @Override
        public String url() {
            return url;
        }

        @Override
        public List<String> bindings() {
            return List.of("HTTP on " + url.substring("http://".length()));
        }

        @Override
        public void awaitShutdown() {
            awaited = true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
