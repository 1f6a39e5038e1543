package org.heartbeat.server.api.event;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives every {@link HostEvent}, in order: alerting, the dashboard's live updates, the log, an integration
 * that posts events elsewhere. Register an implementation as a service; the optional service property
 * {@value #NAME} names it in the log, {@code /api/status} and {@code /metrics} (else its component name or class
 * name does).
 *
 * <pre>{@code
 * @Component(property = HostEventListener.NAME + "=overdue-counter")
 * public class OverdueCounter implements HostEventListener {
 *     private final LongAdder overdue = new LongAdder();
 *
 *     @Override
 *     public void hostEvent(HostEvent event) {
 *         if (event.type() == HostEvent.Type.OVERDUE) {
 *             overdue.increment();
 *         }
 *     }
 * }
 * }</pre>
 *
 * <h2>How it is called</h2>
 * <ul>
 * <li>Each listener has a delivery thread of its own: {@link #hostEvent(HostEvent)} is called on it, one event at
 * a time, in the order of {@link HostEvent#id()}, never concurrently with itself. A listener that is slow, blocks
 * or throws holds up only itself: never the other listeners, the UDP receiver or the deadline timer.</li>
 * <li>An event is handed over only once it is in the journal on disk, so every event a listener sees survives a
 * crash of {@code hbd}, and the state the event describes is the state {@code hbd} restarts with.</li>
 * <li>No event is dropped: a listener that falls behind catches up from the journal, so memory stays bounded
 * however long it stalls. A listener busy with one event for more than 10 seconds is named as stalled in the log,
 * {@code /api/status} and {@code /metrics}, with how many events wait for it.</li>
 * <li>An exception is logged (at a limited rate) and counted; the event counts as handled and the next one
 * follows. A listener that must not lose an event to a passing failure keeps its own record of what is left to
 * do (the outbox of notifications does) rather than throwing.</li>
 * <li>Delivery starts with the first event after the listener is bound, unless {@link #resumeAfter()} says
 * otherwise. On unbind, the delivery thread is interrupted if it is inside the listener and ends.</li>
 * </ul>
 */
@ConsumerType
public interface HostEventListener {
    /** Optional service property: the listener's name. */
    String NAME = "heartbeat.listener.name";

    /** {@link #resumeAfter()}: start with the next event (the default). */
    long LIVE = -1;

    /**
     * Handles one event.
     *
     * @throws Exception when it fails: logged and counted; the next event follows
     */
    void hostEvent(HostEvent event) throws Exception;

    /**
     * Where delivery starts, asked once when the listener is bound: {@link #LIVE}, or the id of the last event this
     * listener handled before (kept by itself, across restarts of {@code hbd}), to receive every event after it
     * from the journal first. Events the journal no longer holds (older than its retention) are skipped, and the
     * log says how many.
     */
    default long resumeAfter() {
        return LIVE;
    }
}
