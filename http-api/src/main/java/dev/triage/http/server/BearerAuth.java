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

    private final Optional<byte[]> masterKey;

    BearerAuth(Optional<String> masterKey) {
        this.masterKey = masterKey.map(key -> key.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (masterKey.isEmpty() || authorized(ctx.request().getHeader("authorization"))) {
            ctx.next();
        } else {
            ErrorResponses.send(ctx.response(), ApiException.unauthorized());
        }
    }

    private boolean authorized(String header) {
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, masterKey.get());
    }
}
