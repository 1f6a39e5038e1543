package com.example.webhook.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.BasicHttpClientConnectionManager;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.heartbeat.server.api.StatusSource;
import org.heartbeat.server.api.event.HostEvent;
import org.heartbeat.server.api.event.HostEventListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * Posts every host event, as JSON, to a webhook, with Apache HttpClient 5 (embedded in this bundle: hbd's runtime
 * does not have it). Configured by a file {@code com.example.webhook.cfg} beside the jar in hbd's plugin directory:
 *
 * <pre>
 * url = https://hooks.example.com/heartbeat
 * types = overdue, recovered
 * timeout = 5
 * </pre>
 *
 * Each event is posted once, as {@link Payload} shows; an answer other than 2xx, a refused connection or a timeout
 * counts as failed, is logged, and the event is not sent again (this bundle keeps nothing on disk). Its counts are
 * the section {@code webhook} of {@code GET /api/status}.
 */
// configurationPolicy REQUIRE: the component exists only while ConfigAdmin holds a configuration with PID
// com.example.webhook, which FileInstall makes from the .cfg file; no file, no component, nothing posted.
// One component, two services: the listener hbd calls with every event, and the status section that reads its
// counts. heartbeat.listener.name names it in /api/status, /metrics and hbd's log. immediate: one instance for
// as long as the configuration is there, so the counts and the connection are not lost whenever no one holds the
// services for a moment.
@Component(configurationPid = EventWebhook.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {HostEventListener.class, StatusSource.class},
        property = {HostEventListener.NAME + "=" + EventWebhook.NAME, StatusSource.SECTION + "=" + EventWebhook.NAME})
@Designate(ocd = EventWebhook.Config.class)
public final class EventWebhook implements HostEventListener, StatusSource {
    static final String PID = "com.example.webhook";
    static final String NAME = "webhook";

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    @ObjectClassDefinition(name = "Event webhook", description = "Posts every host event, as JSON, to a URL.")
    @interface Config {
        @AttributeDefinition(description = "Where to post: an http or https URL.")
        String url();

        @AttributeDefinition(required = false, description = "The event types to post, comma-separated: new, boot, "
                + "overdue, recovered, name_conflict, forgotten. Empty for all.")
        String[] types() default {};

        @AttributeDefinition(required = false, min = "1", max = "30",
                description = "Seconds to wait for the connection, and then for the answer.")
        int timeout() default 5;
    }

    private final Settings settings;
    private final Logger log;
    private final CloseableHttpClient client;
    private final AtomicLong posted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile Failure lastFailure;
    private volatile boolean failing;

    /** The last failure, for the status section. */
    private record Failure(Instant time, String error) {
    }

    // Constructor injection: DS passes the configuration once; a changed .cfg makes a new instance. A wrong
    // setting throws here, and hbd's log shows the message (the component then does not start).
    @Activate
    public EventWebhook(Config config, @Reference(service = LoggerFactory.class) Logger log) {
        this(Settings.of(config.url(), config.types(), config.timeout()), log);
    }

    EventWebhook(Settings settings, Logger log) {
        this.settings = settings;
        this.log = log;
        Timeout timeout = Timeout.of(settings.timeout());
        // One connection is enough: hbd calls a listener on one thread, one event at a time. Every wait is
        // bounded, so a call returns within about twice the timeout; no retries, no redirects: the next event
        // is not held up by this one.
        BasicHttpClientConnectionManager connection = new BasicHttpClientConnectionManager();
        connection.setConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout)
                .setSocketTimeout(timeout).build());
        this.client = HttpClients.custom()
                .setConnectionManager(connection)
                .setDefaultRequestConfig(RequestConfig.custom().setConnectionRequestTimeout(timeout)
                        .setResponseTimeout(timeout).build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .setUserAgent("heartbeat-event-webhook/1.0")
                .build();
        log.info("webhook: posting {} events to {}", settings.types().isEmpty() ? "all"
                : settings.types().stream().map(t -> t.name().toLowerCase(Locale.ROOT)).sorted().toList(),
                settings.target());
    }

    // Called on the listener's own thread, in the order of the events. A blocking socket read does not see an
    // interrupt: the timeouts bound it, and deactivate() (which comes with the unbind) closes the connection.
    @Override
    public void hostEvent(HostEvent event) throws IOException {
        if (!settings.sends(event.type()) || Thread.currentThread().isInterrupted()) {
            return;
        }
        HttpPost post = new HttpPost(settings.url());
        post.setEntity(new ByteArrayEntity(JSON.writeValueAsBytes(Payload.of(event)), ContentType.APPLICATION_JSON));
        int status;
        try {
            status = client.execute(post, response -> {
                EntityUtils.consume(response.getEntity());
                return response.getCode();
            });
        } catch (IOException e) {
            if (!Thread.currentThread().isInterrupted()) { // else hbd is unbinding this listener: not a failure
                failed(event, e.toString());
            }
            return;
        }
        if (status >= 200 && status < 300) {
            posted(event);
        } else {
            failed(event, "HTTP " + status);
        }
    }

    @Override
    public Map<String, Object> status() {
        Failure f = lastFailure;
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("target", settings.target());
        s.put("types", settings.types().stream().map(t -> t.name().toLowerCase(Locale.ROOT)).sorted().toList());
        s.put("posted", posted.get());
        s.put("failed", failed.get());
        s.put("last_failure", f == null ? null : Map.of("time", f.time().toString(), "error", f.error()));
        return s;
    }

    // Closing the client also breaks off a post in progress, so an unbind does not wait for its timeout.
    @Deactivate
    void deactivate() {
        client.close(CloseMode.IMMEDIATE);
        log.info("webhook: stopped; {} events posted, {} failed", posted.get(), failed.get());
    }

    private void posted(HostEvent event) {
        posted.incrementAndGet();
        if (failing) {
            failing = false;
            log.info("webhook: {} answers again (event {}); {} events failed so far", settings.target(), event.id(),
                    failed.get());
        }
    }

    // Logged when posting starts to fail, not for every event while the webhook is down: hbd runs for months.
    private void failed(HostEvent event, String error) {
        failed.incrementAndGet();
        lastFailure = new Failure(Instant.now(), error);
        if (!failing) {
            failing = true;
            log.warn("webhook: event {} ({} {}) not posted to {}: {}; the next failures are counted in "
                    + "/api/status, not logged", event.id(), event.type(), event.host(), settings.target(), error);
        } else {
            log.debug("webhook: event {} not posted: {}", event.id(), error);
        }
    }
}
