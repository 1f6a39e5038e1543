package org.heartbeat.itest.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.heartbeat.server.api.event.EventJournal;
import org.heartbeat.server.api.event.EventQuery;
import org.heartbeat.server.api.event.HostEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * A listener in a bundle of its own, installed while hbd runs, gets every event from then on, in order: the
 * events it saw are exactly the journal's from its first one on.
 */
class EventListenerBundleTest {
    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    EventJournal journal;

    private HbdUnderTest hbd;
    private Bundle listener;

    @BeforeEach
    void setUp() throws Exception {
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
            hbd = new HbdUnderTest(context);
            return true;
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        if (listener != null) {
            listener.uninstall();
        }
        hbd.close();
    }

    private void beat(String host, long intervalMillis) throws Exception {
        long now = System.currentTimeMillis();
        hbd.exchange(Datagrams.encode(Heartbeat.of(host, now * 1000, now, intervalMillis), null),
                Duration.ofSeconds(5));
    }

    @SuppressWarnings("unchecked")
    private List<Long> received() throws Exception {
        Collection<ServiceReference<Supplier>> refs = context.getServiceReferences(Supplier.class,
                "(component.name=itest.listener)");
        if (refs.isEmpty()) {
            return List.of();
        }
        return (List<Long>) context.getService(refs.iterator().next()).get();
    }

    @Test
    void aListenerInstalledAtRunTimeGetsEveryEventFromThenOnInOrder() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        beat("before-" + run, 60_000);

        listener = context.installBundle("itest:listener", ListenerBundles.jar());
        listener.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !context.getServiceReferences(Supplier.class,
                "(component.name=itest.listener)").isEmpty());

        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            hosts.add("listened-" + run + "-" + i);
            beat(hosts.get(i), 1000); // new now, overdue two seconds later (interval 1 s, grace 1 s)
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> journal.read(EventQuery.builder().host(hosts.get(19))
                .types(HostEvent.Type.OVERDUE).build()).size() == 1);
        long last = journal.lastId();
        await().atMost(Duration.ofSeconds(10)).until(() -> received().contains(last));

        List<Long> got = received();
        List<Long> journaled = journal.read(EventQuery.builder().after(got.get(0) - 1)
                .limit(EventQuery.MAX_LIMIT).build()).stream().map(HostEvent::id).filter(id -> id <= last).toList();
        assertThat(got.subList(0, got.indexOf(last) + 1)).as("every event, in order, none twice")
                .containsExactlyElementsOf(journaled);
        assertThat(journal.read(EventQuery.builder().host("before-" + run).build()))
                .as("the event before the bundle came is not delivered to it")
                .allSatisfy(e -> assertThat(got).doesNotContain(e.id()));
        for (String h : hosts) {
            List<Long> ofHost = journal.read(EventQuery.builder().host(h).build()).stream().map(HostEvent::id).toList();
            assertThat(got).containsAll(ofHost);
        }
    }
}
