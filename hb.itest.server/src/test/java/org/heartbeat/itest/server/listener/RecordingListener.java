package org.heartbeat.itest.server.listener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.heartbeat.server.api.event.HostEvent;
import org.heartbeat.server.api.event.HostEventListener;

/**
 * An event listener as a third party would write one, packaged by the tests into a bundle of its own. It keeps the
 * ids of the events it gets; the tests read them through its {@link Supplier} service, a type both bundles share.
 */
public final class RecordingListener implements HostEventListener, Supplier<List<Long>> {
    private final List<Long> ids = new CopyOnWriteArrayList<>();

    @Override
    public void hostEvent(HostEvent event) {
        ids.add(event.id());
    }

    @Override
    public List<Long> get() {
        return List.copyOf(ids);
    }
}
