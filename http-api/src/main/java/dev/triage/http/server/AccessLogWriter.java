package dev.triage.http.server;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Writes access-log records on a thread of its own: a log handler writes to a console or a file under a lock,
 * and an event loop must not wait for either. The records wait in a bounded queue; when it is full (the log
 * cannot keep up) a record is dropped rather than the request slowed, and the number dropped is logged once the
 * queue has room again.
 */
final class AccessLogWriter {

    static final int CAPACITY = 65_536;
    private static final AccessLogWriter SHARED = new AccessLogWriter(Logger.getLogger("dev.triage.access"), CAPACITY);

    private final Logger logger;
    private final BlockingQueue<Entry> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Thread writer;

    AccessLogWriter(Logger logger, int capacity) {
        this.logger = logger;
        this.queue = new ArrayBlockingQueue<>(capacity);
        writer = new Thread(this::drain, "triage-access-log");
        writer.setDaemon(true);
        writer.start();
    }

    static AccessLogWriter shared() {
        return SHARED;
    }

    /** A writer whose lines go nowhere, with a thread of its own until {@link #stop}. */
    static AccessLogWriter discarding() {
        Logger nowhere = Logger.getAnonymousLogger();
        nowhere.setUseParentHandlers(false);
        nowhere.setLevel(Level.INFO);
        return new AccessLogWriter(nowhere, 1_024);
    }

    /** Stops the writer thread; lines still queued are not written. */
    void stop() {
        writer.interrupt();
    }

    boolean enabled() {
        return logger.isLoggable(Level.INFO);
    }

    /** Queues one line; never blocks. */
    void write(AccessLog.AccessLine line) {
        if (queue.offer(new Entry(java.time.Instant.now(), line))) {
            queued.incrementAndGet();
        } else {
            dropped.incrementAndGet();
        }
    }

    /**
     * Waits until every line queued so far has been handed to the log, for at most {@code timeout}: a stopping
     * process calls it last, as its writer thread would otherwise die with the lines still queued.
     */
    void awaitWritten(java.time.Duration timeout) throws InterruptedException {
        long target = queued.get();
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        while (written.get() < target && System.nanoTime() < giveUpAt) Thread.sleep(2);
    }

    private record Entry(java.time.Instant at, AccessLog.AccessLine line) {
    }

    private void drain() {
        while (true) {
            try {
                Entry entry = queue.take();
                LogRecord record = new LogRecord(Level.INFO, entry.line().toJson());
                record.setLoggerName(logger.getName());
                record.setInstant(entry.at());
                long lost = dropped.getAndSet(0);
                if (lost > 0) logger.warning(lost + " access-log lines dropped: the log could not keep up");
                logger.log(record);
                written.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException handlerFailed) {
                // A failing log handler must not stop the access log.
                written.incrementAndGet();
            }
        }
    }
}
