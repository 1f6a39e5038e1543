package org.heartbeat.server.console.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Who may reach the console: the configuration translator writes it from the {@code console:} key of
 * {@code hb.yaml} (README, server reference).
 */
@ObjectClassDefinition(name = "Heartbeat console", description = "Who may open the runtime console at /system/console")
@interface ConsoleSettings {
    String PID = "org.heartbeat.server.console";

    @AttributeDefinition(description = "off: no console (404); localhost: only connections from this machine; on: "
            + "from anywhere. Always admins only once users are configured; without users only from this machine.",
            options = {@Option(value = "off"), @Option(value = "localhost"), @Option(value = "on")})
    String mode() default "localhost";
}
