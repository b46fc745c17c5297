package dev.triage.node.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run where a group's keys live, atomically: sent as EVALSHA, and as EVAL when the server does not
 * have it (a server restarted or flushed since it last saw it), which also caches it there again.
 */
final class LogScript {

    /**
     * Appends one command to the group's log: takes the next sequence number, the time (the server's own, unless
     * a test gives one) and the group's epoch (made here by the first append after the state was lost).
     * KEYS: meta, log. ARGV: epoch if new, time or '', node, request, command, settings. Returns the sequence number.
     */
    static final LogScript APPEND = new LogScript("""
            local epoch = redis.call('HGET', KEYS[1], 'epoch')
            if not epoch then
              epoch = ARGV[1]
              redis.call('HSET', KEYS[1], 'epoch', epoch)
            end
            local t = ARGV[2]
            if t == '' then
              local now = redis.call('TIME')
              t = string.format('%d', tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
            end
            local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
            redis.call('XADD', KEYS[2], '*', 's', seq, 't', t, 'e', epoch, 'n', ARGV[3], 'r', ARGV[4],
              'c', ARGV[5], 'p', ARGV[6])
            return seq
            """);

    /**
     * Keeps a snapshot of the state after entry {@code id} if it is newer than the one kept, in the group's current
     * epoch, and trims the log before it: nobody needs those entries any more. KEYS: meta, log, snap. ARGV: epoch,
     * seq, id, state. Returns 1 if kept.
     */
    static final LogScript SNAPSHOT = new LogScript("""
            if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return 0 end
            if redis.call('HGET', KEYS[3], 'epoch') == ARGV[1]
                and tonumber(redis.call('HGET', KEYS[3], 'seq') or '0') >= tonumber(ARGV[2]) then
              return 0
            end
            redis.call('HSET', KEYS[3], 'epoch', ARGV[1], 'seq', ARGV[2], 'id', ARGV[3], 'state', ARGV[4])
            redis.call('XTRIM', KEYS[2], 'MINID', ARGV[3])
            return 1
            """);

    /**
     * Drops a group's keys if its epoch is still the given one (a lost state that no snapshot covers): the next
     * append starts a new epoch. KEYS: meta, log, snap. ARGV: epoch. Returns 1 if dropped.
     */
    static final LogScript RESET = new LogScript("""
            if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return 0 end
            redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
            return 1
            """);

    private final String source;
    private final String sha;

    private LogScript(String source) {
        this.source = source;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is a required JDK algorithm", e);
        }
    }

    /** Runs the script with these keys and arguments (strings or byte arrays). */
    Future<Response> run(PipelinedConnection redis, List<String> keys, List<Object> args) {
        return redis.send(request(Command.EVALSHA, sha, keys, args)).recover(error -> {
            if (error.getMessage() == null || !error.getMessage().startsWith("NOSCRIPT")) return Future.failedFuture(error);
            return redis.send(request(Command.EVAL, source, keys, args));
        });
    }

    private static Request request(Command command, String script, List<String> keys, List<Object> args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        for (String key : keys) request.arg(key);
        for (Object arg : args) {
            if (arg instanceof byte[] bytes) request.arg(bytes);
            else request.arg(arg.toString());
        }
        return request;
    }
}
