package dev.triage.node.cli;

import dev.triage.config.ConfigException;
import dev.triage.config.ConfigLoader;
import dev.triage.config.TriageConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The node's command line: parses the arguments, loads the config and starts the node through a
 * {@link NodeStarter}, reporting to the given streams and returning the exit status. It never
 * calls {@code System.exit} and never prints a stack trace for a mistake a person can fix.
 */
public final class TriageCli {
    public static final int EXIT_OK = 0;
    /** The configuration was fine but the node could not start (a port in use, ...). */
    public static final int EXIT_START_FAILED = 1;
    /** A usage error or a configuration that cannot be run (a Redis server unreachable, or refusing it). */
    public static final int EXIT_USAGE = 2;

    static final String HELP_HINT = "Run with --help for usage.";
    static final String DEV_VERSION = "dev";

    public int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, NodeStarter starter) {
        Invocation invocation;
        try {
            invocation = CommandLineParser.parse(args);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println(HELP_HINT);
            return EXIT_USAGE;
        }
        if (invocation instanceof Invocation.Help) {
            out.print(HelpText.render());
            return EXIT_OK;
        }
        if (invocation instanceof Invocation.Version) {
            out.println("triage " + version());
            return EXIT_OK;
        }
        if (invocation instanceof Invocation.CheckConfig check) {
            return checkConfig(check.configFile(), out, err, env);
        }
        return start(((Invocation.Start) invocation).options(), out, err, env, starter);
    }

    /** The jar manifest's {@code Implementation-Version}, or {@value #DEV_VERSION} outside the jar. */
    static String version() {
        Package pkg = TriageCli.class.getPackage();
        String version = pkg == null ? null : pkg.getImplementationVersion();
        return version == null || version.isBlank() ? DEV_VERSION : version;
    }

    private static int checkConfig(Path file, PrintStream out, PrintStream err, Map<String, String> env) {
        Optional<TriageConfig> config = load(file, err, env);
        if (config.isEmpty()) {
            return EXIT_USAGE;
        }
        out.print(config.get().describe());
        return EXIT_OK;
    }

    private static int start(
            NodeOptions options, PrintStream out, PrintStream err, Map<String, String> env, NodeStarter starter) {
        Optional<TriageConfig> loaded = load(options.configFile(), err, env);
        if (loaded.isEmpty()) {
            return EXIT_USAGE;
        }
        TriageConfig config = loaded.get();
        config.warnings().forEach(warning -> err.println("warning: " + warning));
        String backend = StartupLines.backend(config, options.effectiveCluster(config.cluster()));

        RunningNode node;
        try {
            node = starter.start(config, options);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: could not start: interrupted");
            return EXIT_START_FAILED;
        } catch (UnrunnableConfigException e) {
            err.println("error: " + e.getMessage());
            return EXIT_USAGE;
        } catch (Exception e) {
            err.println("error: could not start: " + describe(e));
            return EXIT_START_FAILED;
        }
        try (node) {
            StartupLines.modelGroups(config).forEach(out::println);
            out.println(backend);
            node.bindings().forEach(out::println);
            StartupLines.ignoredKeys(config).ifPresent(out::println);
            out.println(StartupLines.listening(node.url()));
            out.flush();
            node.awaitShutdown();
        } catch (InterruptedException e) {
            // Asked to stop while waiting: closing the node is the normal way out.
            Thread.currentThread().interrupt();
        }
        return EXIT_OK;
    }

    private static Optional<TriageConfig> load(Path file, PrintStream err, Map<String, String> env) {
        try {
            return Optional.of(ConfigLoader.load(file, env));
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The exception's message, or its type when it has none (a bare NullPointerException). */
    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : message;
    }
}
