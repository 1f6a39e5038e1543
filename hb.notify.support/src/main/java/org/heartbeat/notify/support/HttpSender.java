package org.heartbeat.notify.support;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.heartbeat.api.notify.Delivery;
import org.heartbeat.api.notify.NotificationChannel;

/**
 * One notification channel's HTTP client: {@code java.net.http} on an executor this sender owns, so that
 * {@link #close()}, called from the channel's {@code @Deactivate}, leaves no thread of the channel behind (Java
 * 17's {@code HttpClient} has no {@code close()}; its selector thread ends once the client is unreachable, which
 * {@code close()} also arranges by dropping it).
 *
 * <p>{@link #send(HttpRequest, Classifier)} sends one request, hands the answer to the channel's own
 * {@link Classifier} (each service has its rules), and turns what never got an answer into a retry: no answer
 * within the request's timeout, no connection. Every delivery it returns has the channel's secrets replaced by
 * {@code ***} ({@link Delivery#redact(String...)}), since a service may echo a request and a transport error may
 * name its URI.
 *
 * <pre>{@code
 * HttpSender http = new HttpSender(HttpSender.threadPrefix("pushover", properties), "Pushover", Clock.systemUTC(),
 *         token, user);
 * Delivery d = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).POST(body).build(),
 *         PushoverAnswers::classify);
 * ...
 * http.close();   // in @Deactivate
 * }</pre>
 *
 * Thread-safe: a channel's outbox thread sends while DS may deactivate the channel on another thread.
 */
public final class HttpSender implements AutoCloseable {
    /** How long to wait for a TCP (and TLS) connection: well under any request timeout. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** How a service's answer is classified: by the channel, after that service's documentation. */
    @FunctionalInterface
    public interface Classifier {
        Delivery classify(int status, HttpHeaders headers, String body, Instant now);
    }

    private final String threadPrefix;
    private final String service;
    private final Clock clock;
    private final String[] secrets;
    private final ExecutorService executor;
    private volatile HttpClient http;

    /**
     * @param threadPrefix names this sender's threads ({@code hb-notify-pushover oncall-1}, ...): see
     *        {@link #threadPrefix(String, Map)}; a thread dump tells whose they are
     * @param service the service's name in delivery details ({@code Pushover did not answer within 10 s})
     * @param clock the time handed to the classifier (for an HTTP-date {@code Retry-After})
     * @param secrets what must never appear in a detail: tokens, passwords, secret URLs and their encoded forms
     */
    public HttpSender(String threadPrefix, String service, Clock clock, String... secrets) {
        this.threadPrefix = Objects.requireNonNull(threadPrefix, "threadPrefix");
        this.service = Objects.requireNonNull(service, "service");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.secrets = secrets.clone();
        this.executor = Executors.newCachedThreadPool(new Named(threadPrefix));
        this.http = HttpClient.newBuilder().executor(executor).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Sends the request and classifies the answer. No answer within the request's timeout, and no connection, are
     * retries; so is a send after {@link #close()}.
     *
     * @throws InterruptedException when the calling thread is interrupted (the outbox's deadline): the request is
     *         abandoned
     */
    public Delivery send(HttpRequest request, Classifier classifier) throws InterruptedException {
        Delivery d;
        try {
            HttpResponse<String> r = exchange(request);
            d = classifier.classify(r.statusCode(), r.headers(), r.body(), clock.instant());
        } catch (HttpTimeoutException e) {
            d = Delivery.retry(service + " did not answer within "
                    + request.timeout().map(t -> t.toSeconds() + " s").orElse("the time allowed"));
        } catch (IOException e) {
            d = Delivery.retry("cannot reach " + service + ": " + describe(e));
        }
        return redact(d);
    }

    /**
     * Sends the request and returns the answer as it is, for a step the channel classifies itself (a look-up before
     * the send). Read it with care: it may echo a secret; pass what comes of it through {@link #redact(Delivery)}.
     *
     * @throws IOException on no connection, a timeout ({@link HttpTimeoutException}), or after {@link #close()}
     */
    public HttpResponse<String> exchange(HttpRequest request) throws IOException, InterruptedException {
        HttpClient client = http;
        if (client == null) {
            throw new IOException("the " + service + " channel is stopped");
        }
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The delivery with this sender's secrets replaced by {@code ***}. */
    public Delivery redact(Delivery d) {
        return d.redact(secrets);
    }

    /**
     * An exception as a detail: its type and message, without the message when it might hold a query (where some
     * services, VoIP.ms for one, want their password).
     */
    public static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() || message.contains("?") ? e.getClass().getName()
                : e.getClass().getName() + ": " + message;
    }

    /** The prefix of this sender's thread names. */
    public String threadPrefix() {
        return threadPrefix;
    }

    /**
     * The thread name prefix of a channel: {@code hb-notify-TYPE NAME} ({@code hb-notify-pushover oncall_phone}),
     * with the channel's name from its component properties ({@link NotificationChannel#NAME}), or
     * {@code hb-notify-TYPE} when it has none.
     */
    public static String threadPrefix(String type, Map<String, ?> properties) {
        Object name = properties.get(NotificationChannel.NAME);
        return "hb-notify-" + type + (name == null || name.toString().isBlank() ? "" : " " + name);
    }

    /**
     * Stops this sender's threads and drops its client; sends still running end with an interrupt or an error,
     * later sends are retries. Idempotent.
     */
    @Override
    public void close() {
        http = null;
        executor.shutdownNow();
    }

    private static final class Named implements ThreadFactory {
        private final String prefix;
        private final AtomicInteger count = new AtomicInteger();

        Named(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
