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
     * The configuration of plugin {@code NAME} has the PID {@code CONFIG_PID_PREFIX + NAME}; {@code hbc}
     * writes it from the {@code plugins:} section of its configuration file.
     */
    String CONFIG_PID_PREFIX = "org.heartbeat.plugin.";

    /** Configuration and service property: seconds between two collections. */
    String INTERVAL = "interval";

    /** Configuration and service property: seconds a collection may take. */
    String TIMEOUT = "timeout";

    /**
     * Collects one sample.
     *
     * @return the values, a tree of maps, lists, numbers, booleans and strings
     * @throws Exception when the values cannot be collected; reported to the server as a plugin error
     */
    Map<String, Object> collect() throws Exception;
}
