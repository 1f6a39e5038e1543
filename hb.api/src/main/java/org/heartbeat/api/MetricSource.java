package org.heartbeat.api;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A metric plugin: something {@code hbc} asks for values on a schedule and sends to the server.
 *
 * <p>Register an implementation as an OSGi service with the service property {@value #NAME} set to the
 * plugin's name, the key under {@code plugins:} in the client's configuration.
 */
@ConsumerType
public interface MetricSource {
    /** Service property: the plugin's name, for example {@code cpu_monitor}. */
    String NAME = "heartbeat.plugin.name";

    /**
     * Collects one sample.
     *
     * @return the values, a tree of maps, lists, numbers, booleans and strings
     * @throws Exception when the values cannot be collected; reported to the server as a plugin error
     */
    Map<String, Object> collect() throws Exception;
}
