package dev.triage.http.server;

import dev.triage.http.fixture.TestNode;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node serves its connections on as many event loops as it has servers (one per core, at least two): a
 * server created once would run every connection on one event loop, and the node on one core.
 */
class EventLoopsTest {

    @Test
    void connectionsAreServedOnMoreThanOneEventLoop() {
        try (TestNode node = TestNode.start("""
                model_list:
                  - model_name: m
                    litellm_params: {model: openai/m, mock_response: "hi"}
                """)) {
            Map<Long, Long> before = eventLoopCpu();
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                calls.clear();
                for (int i = 0; i < 32; i++) calls.add(node.postAsync("/v1/chat/completions", TestNode.chat("m", "e" + i)));
                calls.forEach(call -> assertThat(call.join().statusCode()).isEqualTo(200));
            }
            Map<Long, Long> after = eventLoopCpu();

            long total = 0;
            List<Long> busy = new ArrayList<>();
            for (var thread : after.entrySet()) {
                long used = thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
                total += used;
                busy.add(used);
            }
            long all = total;
            assertThat(busy.stream().filter(used -> used > all / 10).count())
                    .as("event loops that did at least a tenth of the work (%s ns of %s)", busy, all)
                    .isGreaterThanOrEqualTo(2);
        }
    }

    /** CPU time of every Vert.x event-loop thread, by thread id. */
    private static Map<Long, Long> eventLoopCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("vert.x-eventloop-thread-")) {
                cpu.put(info.getThreadId(), threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return cpu;
    }
}
