package org.heartbeat.server.internal;

/**
 * Receives every {@link HostEvent}, in order, on the server's event thread. Register as a service.
 * Implementations must return quickly and must not throw: everything after them waits.
 */
public interface HostEventListener {
    void hostEvent(HostEvent event);
}
