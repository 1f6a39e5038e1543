package org.heartbeat.client.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The client's settings, PID {@value #PID}, written by {@link ClientTranslator} from ~/.hbc.yaml and the command line. */
@ObjectClassDefinition(name = "Heartbeat client", description = "Settings of hbc")
public @interface ClientSettings {
    String PID = "org.heartbeat.client";

    @AttributeDefinition(description = "Servers to report to: host names or addresses, optionally with :port")
    String[] servers();

    @AttributeDefinition(description = "The servers' UDP port, unless a server names its own")
    int port() default 50003;

    @AttributeDefinition(description = "Seconds between heartbeats")
    double interval() default 20;

    @AttributeDefinition(description = "The host name to report as")
    String name();

    @AttributeDefinition(description = "Key file; with it every datagram is signed and only signed ACKs are believed")
    String keyFile() default "";

    @AttributeDefinition(description = "Send a boot message first")
    boolean boot() default false;
}
