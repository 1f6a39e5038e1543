package com.example.webhook.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver on the loopback for tests: a JDK {@link HttpServer} that keeps every request it gets and
 * answers with a status of the test's choosing, or, after {@link #hold()}, not at all until it is closed.
 */
final class Webhook implements AutoCloseable {
    record Request(String method, String path, String contentType, String body) {
    }

    private final HttpServer server;
    private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile int status = 204;
    private volatile boolean hold;

    Webhook() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            if (hold) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    void answer(int status) {
        this.status = status;
    }

    /** From now on, keeps each request waiting until {@link #close()}. */
    void hold() {
        hold = true;
    }

    /** The next request, waiting at most {@code timeout}; null if none came. */
    Request next(Duration timeout) throws InterruptedException {
        return requests.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean received() {
        return !requests.isEmpty();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
