package dev.triage.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Everything the driver runs listens on 127.0.0.1; this hands out its ports and makes its control calls. */
final class Loopback {
    static final String HOST = "127.0.0.1";

    private static final HttpClient CONTROL = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Loopback() {
    }

    /** A port free right now (another process could still take it before it is used, which is unlikely). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A blocking control call (readiness, records, metrics), never part of the measured load. */
    static HttpResponse<String> call(String method, int port, String pathAndQuery) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            return CONTROL.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Whether something accepts connections on the port. */
    static boolean answers(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The status of a GET, or -1 when nothing answered. */
    static int probe(int port, String path) {
        try {
            return call("GET", port, path).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }
}
