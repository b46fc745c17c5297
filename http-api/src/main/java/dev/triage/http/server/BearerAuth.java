package dev.triage.http.server;

import dev.triage.http.ApiException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * {@code Authorization: Bearer <master_key>}, checked before the body is read, so a request without a valid
 * key never reaches a queue or an upstream. The comparison takes the same time whatever the key.
 */
final class BearerAuth implements Handler<RoutingContext> {

    private volatile Optional<byte[]> masterKey;

    BearerAuth(Optional<String> masterKey) {
        use(masterKey);
    }

    /** The key from now on (a reload may set, change or remove it). */
    void use(Optional<String> key) {
        masterKey = key.map(k -> k.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a master key is set: a route that changes the node needs one. */
    boolean keyed() {
        return masterKey.isPresent();
    }

    @Override
    public void handle(RoutingContext ctx) {
        Optional<byte[]> masterKey = this.masterKey;
        if (masterKey.isEmpty() || authorized(ctx.request().getHeader("authorization"), masterKey.get())) {
            ctx.next();
        } else {
            ErrorResponses.send(ctx.response(), ApiException.unauthorized());
        }
    }

    private static boolean authorized(String header, byte[] masterKey) {
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, masterKey);
    }
}
