package org.heartbeat.runtime;

/**
 * What the launcher ({@code hbd} and {@code hbc}, which start the framework and hold it) and the bundles inside tell
 * each other, through services with plain types, so that no class has to be shared across the framework's
 * boundary. The launcher installs the shutdown hook, turns signals into calls and waits for readiness; no bundle
 * does any of that itself, and no bundle calls {@code System.exit}.
 *
 * <ul>
 * <li><b>Readiness.</b> A runtime is ready when a {@code org.osgi.service.condition.Condition} service with
 * {@code osgi.condition.id} {@value #READY_CONDITION} is registered; its properties {@value #UDP_PORT},
 * {@value #HTTP_PORT} and {@value #WS_PORT} give the ports really bound. Until then the HTTP API answers 503.</li>
 * <li><b>Failure.</b> A runtime that cannot start registers a {@code Condition} with the id
 * {@value #FAILURE_CONDITION} and a property {@value #FAILURE_MESSAGE} that says why; the launcher prints it and
 * exits with status 1.</li>
 * <li><b>Signals.</b> On {@code SIGHUP} the launcher runs every {@link Runnable} service with the property
 * {@value #SIGNAL}{@code =HUP}, highest {@code service.ranking} first, one after the other on its signal thread:
 * the log is reopened (ranking {@value #REOPEN_LOG_RANKING}), then the configuration is read again.</li>
 * </ul>
 */
public final class Launch {
    /** Condition id: the runtime is ready (UDP bound, state restored, HTTP answering). */
    public static final String READY_CONDITION = "heartbeat.ready";
    /** Condition id: the runtime cannot start. */
    public static final String FAILURE_CONDITION = "heartbeat.failure";
    /** Property of the failure condition: what is wrong. */
    public static final String FAILURE_MESSAGE = "heartbeat.failure.message";
    /** Property of the ready condition: the UDP port bound. */
    public static final String UDP_PORT = "heartbeat.udp.port";
    /** Property of the ready condition: the HTTP port bound. */
    public static final String HTTP_PORT = "heartbeat.http.port";
    /** Property of the ready condition: the WebSocket port bound. */
    public static final String WS_PORT = "heartbeat.ws.port";
    /** Property of a {@link Runnable} service: the signal it acts on, {@code HUP}. */
    public static final String SIGNAL = "heartbeat.signal";
    /** The ranking of the log's reopen on SIGHUP, so that what the reload logs goes to the new file. */
    public static final int REOPEN_LOG_RANKING = 100;
    /** Framework property: the configuration file's text as the launcher read it, so bundles need not read it again. */
    public static final String CONFIG_TEXT = "heartbeat.config.text";

    private Launch() {
    }
}
