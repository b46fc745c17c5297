package dev.triage.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.core.spi.SchedulerBackend;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The README's Java router example, LiteLLM's SDK quick start, read from {@code README.md}, compiled and run as
 * written: one mock deployment at rpm 1 and a 2 s queue timeout, so its call is answered and a second in the
 * same minute waits, then times out.
 */
class ReadmeExampleTest {

    private static final Pattern JAVA_BLOCK =
            Pattern.compile("## The Java router.*?```java\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void theQuickStartAnswersOnceThenQueuesTheNextCallUntilItsTimeout() throws Exception {
        Matcher block = JAVA_BLOCK.matcher(Files.readString(Path.of("../README.md")));
        assertThat(block.find()).as("the README's Java router example").isTrue();
        Class<?> example = compile(block.group(1));
        // rpm 1 holds within one minute-aligned window: not across a minute's end, where it would roll mid-test.
        long intoMinute = System.currentTimeMillis() % 60_000;
        if (intoMinute > 50_000) Thread.sleep(60_500 - intoMinute);
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Object[] made;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            made = (Object[]) example.getMethod("run").invoke(null);
            await().atMost(java.time.Duration.ofSeconds(10)).until(() -> printed.size() > 0);
        } finally {
            System.setOut(stdout);
        }
        Router router = (Router) made[0];
        try {
            JsonNode answer = new ObjectMapper().readTree(printed.toString(StandardCharsets.UTF_8));
            CompletableFuture<JsonNode> second = router.chatCompletion((ObjectNode) made[1], 0).toCompletionStage()
                    .toCompletableFuture();

            assertThat(answer.path("choices").path(0).path("message").path("content").asText())
                    .isEqualTo("Hello world this is Macintosh!");
            assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(429);
                        assertThat(e.code()).isEqualTo("queue_timeout");
                    });
        } finally {
            router.close();
            ((SchedulerBackend) made[2]).close();
            ((Vertx) made[3]).close().await(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The snippet as the body of {@code run()}, which returns what it made (its Vert.x caught where the snippet
     * makes it) so that the test can go on with it and close it.
     */
    private Class<?> compile(String snippet) throws Exception {
        String source = """
                import com.fasterxml.jackson.databind.ObjectMapper;
                import com.fasterxml.jackson.databind.node.ObjectNode;
                import dev.triage.config.ConfigLoader;
                import dev.triage.config.TriageConfig;
                import dev.triage.core.memory.InMemoryBackend;
                import dev.triage.core.spi.SchedulerBackend;
                import dev.triage.core.spi.StoreClock;
                import dev.triage.http.HttpLimits;
                import dev.triage.http.Router;
                import dev.triage.http.SchedulerSettings;
                import io.vertx.core.Vertx;

                public class ReadmeExample {
                    static Vertx vertx;

                    public static Object[] run() {
                %s
                        return new Object[] {router, request, backend, vertx};
                    }
                }
                """.formatted(snippet.replace("Vertx.vertx()", "(vertx = Vertx.vertx())"));
        Path file = dir.resolve("ReadmeExample.java");
        Files.writeString(file, source);
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = ToolProvider.getSystemJavaCompiler().run(null, errors, errors,
                "-d", dir.toString(), "-cp", classPath, file.toString());
        assertThat(status).as("compiling the README's example:%n%s%n%s", errors, source).isZero();
        URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
        return loader.loadClass("ReadmeExample");
    }
}
