package dev.triage.http.server;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The access log never makes a request wait: a log that cannot keep up loses lines, and says how many. */
class AccessLogWriterTest {

    @Test
    void aStuckLogHandlerDropsLinesInsteadOfBlockingTheCallerAndCountsThem() throws Exception {
        Logger logger = Logger.getLogger("test.access." + UUID.randomUUID());
        logger.setUseParentHandlers(false);
        CountDownLatch stuck = new CountDownLatch(1);
        List<String> written = new CopyOnWriteArrayList<>();
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                try {
                    stuck.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                written.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        AccessLogWriter writer = new AccessLogWriter(logger, 8);

        // Whatever the writer thread has taken sticks in the handler; 8 wait in the queue; the rest are dropped, and
        // the loop returns although nothing is written.
        for (int i = 0; i < 100; i++) writer.write(line("r" + i));
        stuck.countDown();

        // Every line is either written or counted in a warning; the writer thread may take its first line before
        // the drops or amid them, so the count may come in one warning or two.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lines(written) + lost(written))
                .isEqualTo(100));
        assertThat(written).anyMatch(message -> message.matches("\\d+ access-log lines dropped: the log could not keep up"));
        // 8 queued, and one more if the writer had taken a line before the queue filled.
        assertThat(lost(written)).isBetween(91, 92);
        assertThat(written).anyMatch(message -> message.contains("\"request_id\":\"r0\""));
    }

    private static long lines(List<String> written) {
        return written.stream().filter(m -> m.startsWith("{")).count();
    }

    private static int lost(List<String> written) {
        return written.stream().filter(m -> m.contains("access-log lines dropped"))
                .mapToInt(m -> Integer.parseInt(m.substring(0, m.indexOf(' ')))).sum();
    }

    private static AccessLog.AccessLine line(String requestId) {
        return new AccessLog.AccessLine(requestId, "POST", "/v1/chat/completions", "m", 0L, 0L, "d", 1, 200, 1_000_000);
    }
}
