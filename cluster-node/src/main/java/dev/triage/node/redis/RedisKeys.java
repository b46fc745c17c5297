package dev.triage.node.redis;

/**
 * Where one group lives on the server. Every key of a group shares the hash tag {@code {triage:<prefix>:<group>}},
 * so that on Redis Cluster they are in one slot and one script can touch them all.
 *
 * @param meta the group's epoch and the last sequence number appended
 * @param log  the stream of commands, in the order every node applies them
 * @param snap the latest snapshot of the state: what a node starting late loads before it reads the log
 */
record RedisKeys(String meta, String log, String snap) {

    static RedisKeys of(String prefix, String group) {
        String tag = "{triage:" + prefix + ":" + group + "}";
        return new RedisKeys(tag + ":meta", tag + ":log", tag + ":snap");
    }
}
