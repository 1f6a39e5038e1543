package org.heartbeat.notify.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for an HTTP service, on a free port of 127.0.0.1, for one test. A subclass plays one service:
 * {@link #check(RecordedRequest)} holds the request against the service's documentation (method, path,
 * authentication, content type, required fields) and {@link #answer(RecordedRequest)} answers as the service
 * does, error answers included. Every request is recorded; what {@code check} finds is kept in
 * {@link #problems()}, which a test expects to be empty. A test can {@link #enqueue(Answer...)} the answers of the
 * next requests (a 429 with the service's own retry field, a 503, a connection that never answers) while the
 * checks still run.
 *
 * <pre>{@code
 * try (FakePushover pushover = new FakePushover()) {
 *     pushover.enqueue(pushover.overQuota());
 *     Delivery d = channel(pushover.baseUrl()).send(notification);
 *     assertThat(pushover.problems()).isEmpty();
 *     assertThat(pushover.onlyRequest().form()).containsEntry("priority", List.of("1"));
 * }
 * }</pre>
 */
public abstract class FakeService implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Answer> scripted = new ConcurrentLinkedQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Semaphore arrivals = new Semaphore(0);

    protected FakeService() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, getClass().getSimpleName());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
        server.start();
    }

    /**
     * Checks a request as the service's documentation requires.
     *
     * @return what is wrong with it, one line per problem; empty when nothing is
     */
    protected abstract List<String> check(RecordedRequest request);

    /** The service's own answer to a request, used when no answer was {@linkplain #enqueue(Answer...) enqueued}. */
    protected abstract Answer answer(RecordedRequest request);

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next requests get these answers, in order, instead of {@link #answer(RecordedRequest)}'s. */
    public void enqueue(Answer... answers) {
        scripted.addAll(List.of(answers));
    }

    /** Every request received so far, in order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The one request received; fails when there were none or several. */
    public RecordedRequest onlyRequest() {
        List<RecordedRequest> all = requests();
        if (all.size() != 1) {
            throw new AssertionError("expected exactly one request, got " + all.size() + ": " + all);
        }
        return all.get(0);
    }

    /** What the checks found in the requests so far; empty when every request was as documented. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Waits until at least {@code count} requests have arrived in total; false when the time ran out. */
    public boolean awaitRequests(int count, Duration timeout) throws InterruptedException {
        if (!arrivals.tryAcquire(count, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        arrivals.release(count);
        return true;
    }

    /** Stops the server; connections left hanging are released first. */
    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders(), body);
            requests.add(request);
            List<String> found = new ArrayList<>();
            try {
                found.addAll(check(request));
            } catch (RuntimeException | AssertionError e) {
                found.add("check failed on " + request + ": " + e);
            }
            found.forEach(p -> problems.add(request.method() + " " + request.rawPath() + ": " + p));
            Answer answer = scripted.poll();
            if (answer == null) {
                answer = answer(request);
            }
            arrivals.release();
            if (answer.hangs()) {
                closed.await();
                return;
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }
}
