package org.heartbeat.server.internal.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The server's own settings, configuration PID {@value #PID}, written from {@code ~/.hb.yaml} by
 * {@link ConfigTranslator}. Durations are in seconds.
 */
@ObjectClassDefinition(name = "Heartbeat server",
        description = "Settings of hbd. Written from the operator's ~/.hb.yaml; edit that file and run hbd reload.")
public @interface ServerSettings {
    String PID = "org.heartbeat.server";

    @AttributeDefinition(description = "Address to listen on for heartbeats; empty for all (IPv4 and IPv6)")
    String listen() default "";

    @AttributeDefinition(description = "UDP port for heartbeats; 0 for any free port")
    int hbPort() default 50003;

    @AttributeDefinition(description = "Expected heartbeat interval, seconds, for hosts that announce none")
    double interval() default 20;

    @AttributeDefinition(description = "Seconds of slack after the interval before a host is overdue")
    double grace() default 2;

    @AttributeDefinition(description = "State file")
    String pickfile();

    @AttributeDefinition(description = "Seconds between two writes of the state file")
    double saveInterval() default 30;

    @AttributeDefinition(description = "Accept only signed datagrams, from hosts with a key")
    boolean requireAuth() default false;

    @AttributeDefinition(description = "Seconds a signed datagram's time may differ from the server's clock")
    double authWindow() default 300;

    @AttributeDefinition(description = "Most hosts tracked; more are refused (configured hosts always count)")
    int maxHosts() default 10_000;

    @AttributeDefinition(description = "Forget an unconfigured host silent this many seconds; 0: never")
    double forgetAfter() default 0;

    @AttributeDefinition(description = "The longest interval a client may announce, seconds; longer ones are cut to it")
    double maxInterval() default 86_400;

    @AttributeDefinition(description = "Names of the hosts in the configuration file's hosts: (each has a configuration of its own)")
    String[] hosts() default {};
}
