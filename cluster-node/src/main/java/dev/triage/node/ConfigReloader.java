package dev.triage.node;

import dev.triage.config.ConfigChanges;
import dev.triage.config.ConfigException;
import dev.triage.config.ConfigLoader;
import dev.triage.config.TriageConfig;
import dev.triage.http.server.ConfigReload;
import dev.triage.http.server.ReloadOutcome;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Reads the node's config file again and, when it is valid, has the node serve it; a bad file is refused with
 * the usual config error line and the running config stays. It runs on {@code SIGHUP}, on
 * {@code POST /config/reload}, and when the file changes on disk: Kubernetes updates a mounted ConfigMap by
 * swapping a symlink in its directory, so the directory is watched and the file's bytes compared.
 */
final class ConfigReloader implements ConfigReload, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConfigReloader.class.getName());
    /** Editors and Kubernetes write a file in several steps: wait for them to settle before reading. */
    private static final long SETTLE_MILLIS = 200;

    private final Path file;
    private final Map<String, String> env;
    private final Consumer<TriageConfig> serve;
    private TriageConfig current;
    private byte[] currentDigest;
    private WatchService watcher;

    /** @param serve applies a valid config to the node; it throws IllegalArgumentException to refuse it */
    ConfigReloader(Path file, Map<String, String> env, TriageConfig running, Consumer<TriageConfig> serve) {
        this.file = file;
        this.env = env;
        this.serve = serve;
        this.current = running;
        this.currentDigest = digest(file);
    }

    @Override
    public synchronized ReloadOutcome reload(String trigger) {
        TriageConfig next;
        try {
            next = ConfigLoader.load(file, env);
        } catch (ConfigException e) {
            LOG.warning("config reload (" + trigger + ") refused, the running config stays: " + e.getMessage());
            return ReloadOutcome.refused(file.toString(), e.getMessage());
        }
        ConfigChanges changes = ConfigChanges.between(current, next);
        try {
            serve.accept(next);
        } catch (IllegalArgumentException e) {
            String why = file + ": " + e.getMessage();
            LOG.warning("config reload (" + trigger + ") refused, the running config stays: " + why);
            return ReloadOutcome.refused(file.toString(), why);
        }
        current = next;
        currentDigest = digest(file);
        log(trigger, next, changes);
        return ReloadOutcome.applied(file.toString(), changes);
    }

    private void log(String trigger, TriageConfig next, ConfigChanges changes) {
        StringBuilder line = new StringBuilder("config reloaded (" + trigger + ") from " + file + ": ");
        line.append(changes.live().isEmpty() ? "nothing changed" : String.join("; ", changes.live()));
        LOG.info(line.toString());
        if (!changes.atRestart().isEmpty()) {
            LOG.warning("changed in " + file + " but applied only when the node restarts: "
                    + String.join("; ", changes.atRestart()));
        }
        next.warnings().forEach(warning -> LOG.warning(warning));
    }

    /** Reloads on SIGHUP (which would otherwise stop the JVM). */
    void reloadOnSighup() {
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
            Thread thread = new Thread(() -> reload("SIGHUP"), "triage-reload");
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** Reloads whenever the file's bytes change, on a thread of its own until {@link #close}. */
    void watchFile() throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        watcher = FileSystems.getDefault().newWatchService();
        directory.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        Thread thread = new Thread(this::watch, "triage-config-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                Thread.sleep(SETTLE_MILLIS);
                key.pollEvents();
                key.reset();
                byte[] now = digest(file);
                boolean changed;
                synchronized (this) {
                    changed = now != null && !Arrays.equals(now, currentDigest);
                }
                if (changed) reload("the file changed");
            }
        } catch (InterruptedException | ClosedWatchServiceException stopped) {
            // closed with the node
        }
    }

    /** The file's SHA-256, or null while it cannot be read (mid-swap). */
    private static byte[] digest(Path file) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public void close() {
        if (watcher == null) return;
        try {
            watcher.close();
        } catch (IOException ignored) {
            // the node is stopping; nothing to do about a watcher that fails to close
        }
    }
}
