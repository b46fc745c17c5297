package dev.triage.node.redis;

import dev.triage.core.GroupSpec;
import dev.triage.core.spi.Command;
import dev.triage.core.wire.WireFormat;
import io.vertx.redis.client.Response;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * One command of a group's log as the append script wrote it.
 *
 * @param id      the stream entry id, where a reader goes on from
 * @param seq     1, 2, 3... within an epoch: a reader that finds one missing knows it lost entries
 * @param time    the store time the command runs at: the server's clock when it was appended (or a test's)
 * @param epoch   the incarnation of the group's state the command was appended to
 * @param node    the backend instance that appended it, which waits for its outcome
 * @param request that instance's number for the command
 * @param spec    the settings the appending node serves for the group (contract 11)
 */
record LogEntry(String id, long seq, long time, long epoch, String node, long request, Command command,
                GroupSpec spec) {

    /** Reads one entry of an XREAD or XRANGE reply: {@code [id, [field, value, ...]]}. */
    static LogEntry read(Response entry) throws IOException {
        String id = entry.get(0).toString();
        Response fields = entry.get(1);
        long seq = 0;
        long time = 0;
        long epoch = 0;
        String node = "";
        long request = 0;
        Command command = null;
        GroupSpec spec = null;
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            Response value = fields.get(i + 1);
            switch (fields.get(i).toString()) {
                case "s" -> seq = Long.parseLong(value.toString());
                case "t" -> time = Long.parseLong(value.toString());
                case "e" -> epoch = Long.parseLong(value.toString());
                case "n" -> node = value.toString();
                case "r" -> request = Long.parseLong(value.toString());
                case "c" -> command = WireFormat.readCommand(input(value));
                case "p" -> spec = WireFormat.readGroupSpec(input(value));
                default -> {
                    // a field of a later version: ignored
                }
            }
        }
        if (command == null || spec == null || seq == 0) {
            throw new IOException("log entry " + id + " lacks its sequence number, command or settings");
        }
        return new LogEntry(id, seq, time, epoch, node, request, command, spec);
    }

    private static DataInputStream input(Response value) {
        return new DataInputStream(new ByteArrayInputStream(value.toBytes()));
    }
}
