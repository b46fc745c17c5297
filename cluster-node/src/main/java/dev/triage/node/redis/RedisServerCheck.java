package dev.triage.node.redis;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a node checks of the server before it starts in Redis mode: that it answers with these credentials, is
 * 6.2 or newer (XTRIM MINID, HSET with several fields) and never evicts keys, since an evicted log or epoch would
 * lose queued tickets without a word. Each failure is one line that says how to fix it.
 */
public final class RedisServerCheck {

    private RedisServerCheck() {
    }

    /** Returns the server's version, or throws {@link UnusableRedisException}. */
    public static String check(Redis redis, String where, long timeoutMillis) {
        Response server = send(redis, Request.cmd(Command.INFO).arg("server"), where, timeoutMillis);
        Response memory = send(redis, Request.cmd(Command.INFO).arg("memory"), where, timeoutMillis);
        String version = field(server.toString(), "redis_version");
        if (version == null || !atLeast(version, 6, 2)) {
            throw new UnusableRedisException(where + " runs Redis " + version + "; Redis mode needs 6.2 or newer");
        }
        String policy = field(memory.toString(), "maxmemory_policy");
        if (policy != null && !policy.equals("noeviction")) {
            throw new UnusableRedisException(where + " may evict keys (maxmemory-policy " + policy + "), which would"
                    + " drop queued tickets: set maxmemory-policy noeviction (redis.conf, or CONFIG SET"
                    + " maxmemory-policy noeviction), or give Triage a server of its own");
        }
        return version;
    }

    /** One request at start-up, its failure (a Redis error is a Throwable, not an Exception) made a line. */
    public static Response send(Redis redis, Request request, String where, long timeoutMillis) {
        try {
            return redis.send(request).toCompletionStage().toCompletableFuture().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new UnusableRedisException(where + ": " + reason(e.getCause()));
        } catch (TimeoutException e) {
            throw new UnusableRedisException(where + ": no answer within " + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnusableRedisException(where + ": interrupted while connecting");
        }
    }

    private static String reason(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.startsWith("WRONGPASS") || message.contains("invalid username-password")) {
            return "wrong user name or password (router_settings.redis_username, redis_password)";
        }
        if (message.startsWith("NOAUTH")) return "the server needs a password (router_settings.redis_password)";
        return "cannot connect (" + message + ")";
    }

    private static String field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) return line.substring(name.length() + 1).trim();
        }
        return null;
    }

    static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("\\.");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
