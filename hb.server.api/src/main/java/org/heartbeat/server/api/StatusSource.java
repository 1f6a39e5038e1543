package org.heartbeat.server.api;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A section of {@code GET /api/status} contributed by a server-side bundle: the history store reports its size,
 * alerting its active alerts, and so on. Register it as a service with the service property {@value #SECTION}
 * naming the section (lower case, {@code a-z 0-9 _}); the section goes away with the service.
 *
 * <p>{@link #status()} is called on an HTTP request thread, each time the status is read, possibly concurrently:
 * return at once, from values kept at hand (counters, sizes), never after I/O that may block. An exception leaves
 * the section out of that answer (it is logged). The map is written as a JSON object: values are numbers,
 * strings, booleans, null, lists or maps of these.
 *
 * <pre>{@code
 * @Component(property = StatusSource.SECTION + "=history")
 * public class HistoryStatus implements StatusSource {
 *     public Map<String, Object> status() {
 *         return Map.of("samples", samples.sum(), "file", file.toString());
 *     }
 * }
 * }</pre>
 */
@ConsumerType
public interface StatusSource {
    /** Service property: the section's name in {@code /api/status}. */
    String SECTION = "heartbeat.status.section";

    /** The section's content, a JSON object. */
    Map<String, Object> status();
}
