package dev.triage.core;

/**
 * Orders the configs a group's settings came from, so that during a rolling update every node agrees which
 * one wins: the later load wins, and of two loads at the same instant the greater digest (an arbitrary but
 * common choice). A group adopts a newer version and never an older one, so the fleet converges on the file
 * loaded last, and a node still on an older file cannot turn it back.
 *
 * @param loadedAt the store time at which a node loaded its config file (0: a spec made in code)
 * @param digest   {@link GroupSpec#settingsDigest()} of the settings it versions: equal settings, equal digest
 */
public record ConfigVersion(long loadedAt, long digest) {

    /** A spec made in code, older than any loaded from a file. */
    public static final ConfigVersion INITIAL = new ConfigVersion(0, 0);

    public boolean isNewerThan(ConfigVersion other) {
        return loadedAt != other.loadedAt ? loadedAt > other.loadedAt : digest > other.digest;
    }
}
