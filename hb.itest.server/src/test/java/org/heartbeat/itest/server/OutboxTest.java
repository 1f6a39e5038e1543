package org.heartbeat.itest.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.heartbeat.api.notify.Delivery;
import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.NotificationChannel;
import org.heartbeat.api.notify.Severity;
import org.heartbeat.server.api.StatusSource;
import org.heartbeat.server.api.notify.ChannelStatus;
import org.heartbeat.server.api.notify.Outbox;
import org.heartbeat.server.api.notify.OutboxEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * The outbox in the real runtime: configured through ConfigAdmin, it picks up a channel service by its name,
 * delivers what is queued through the Outbox service, reports in the status, and lets the channel go cleanly.
 */
class OutboxTest {
    private static final String PID = "org.heartbeat.server.outbox";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    private Configuration configuration;
    private Dictionary<String, Object> before;
    private ServiceRegistration<NotificationChannel> channel;

    /** A channel that takes everything. */
    static final class Taking implements NotificationChannel {
        final List<String> received = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public Delivery send(Notification notification) {
            received.add(notification.title());
            threads.add(Thread.currentThread().getName());
            return Delivery.delivered("accepted");
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        if (channel != null) {
            channel.unregister();
        }
        if (configuration != null) {
            if (before == null) {
                configuration.delete();
            } else {
                configuration.update(before);
            }
        }
    }

    private Outbox outbox() {
        await().atMost(Duration.ofSeconds(10)).until(() -> context.getServiceReference(Outbox.class) != null);
        return context.getService(context.getServiceReference(Outbox.class));
    }

    private static Notification notification(String title) {
        return Notification.builder().id("itest-" + System.nanoTime()).event(Notification.HOST_OVERDUE)
                .severity(Severity.CRITICAL).host("web1").title(title).time(Instant.now()).build();
    }

    @Test
    void aQueuedNotificationReachesTheChannelServiceNamedForIt() throws Exception {
        configuration = configAdmin.getConfiguration(PID, "?");
        before = configuration.getProperties();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("file", new File("target/itest/outbox.db").getAbsolutePath());
        props.put("channels", new String[] {"itest:fake", "absent:matrix"});
        configuration.update(props);

        Taking taking = new Taking();
        channel = context.registerService(NotificationChannel.class, taking, new Hashtable<>(Map.of(
                NotificationChannel.NAME, "itest", NotificationChannel.TYPE, "fake")));
        Outbox outbox = outbox();
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.channels().stream()
                .anyMatch(c -> c.name().equals("itest") && c.available()));

        ServiceReference<StatusSource> status = context.getServiceReferences(StatusSource.class,
                "(" + StatusSource.SECTION + "=outbox)").iterator().next();
        // the outbox's file outlives a run of these tests in the same build directory: count from here
        long before = (Long) context.getService(status).status().get("delivered");
        OutboxEntry entry = outbox.enqueue("itest", notification("web1 is overdue"));
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.entry(entry.id()).orElseThrow().state()
                == OutboxEntry.State.DELIVERED);
        assertThat(taking.received).containsExactly("web1 is overdue");
        assertThat(taking.threads).containsOnly("hb-outbox-itest");
        assertThat(outbox.entry(entry.id()).orElseThrow().detail()).isEqualTo("accepted");

        assertThat(outbox.test("itest", notification("test")).outcome()).isEqualTo(Delivery.Outcome.DELIVERED);
        assertThat(outbox.test("absent", notification("test")).detail())
                .isEqualTo("no bundle provides channel type matrix (install hb.notify.matrix)");

        assertThat(context.getService(status).status()).containsEntry("delivered", before + 1)
                .containsEntry("failing_channels", 1L);

        channel.unregister();
        channel = null;
        ChannelStatus gone = outbox.channels().stream().filter(c -> c.name().equals("itest")).findFirst()
                .orElseThrow();
        assertThat(gone.available()).isFalse();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("hb-outbox-itest"));
    }
}
