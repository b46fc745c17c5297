package dev.triage.http.server;

/** Reads the node's config file again and serves it if it is valid: what {@code POST /config/reload} calls. */
@FunctionalInterface
public interface ConfigReload {

    /**
     * Blocks while it reads the file: never call it on an event loop.
     *
     * @param trigger what asked for the reload, for the log ({@code SIGHUP}, {@code POST /config/reload})
     */
    ReloadOutcome reload(String trigger);
}
