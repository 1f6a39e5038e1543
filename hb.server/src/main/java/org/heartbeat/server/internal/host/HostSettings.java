package org.heartbeat.server.internal.host;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One configured host, a factory configuration of PID {@value #FACTORY_PID} per entry of {@code hosts:}. */
@ObjectClassDefinition(name = "Heartbeat host",
        description = "A host from the hosts: section of ~/.hb.yaml")
public @interface HostSettings {
    String FACTORY_PID = "org.heartbeat.server.host";

    @AttributeDefinition(description = "Host name")
    String name();

    @AttributeDefinition(description = "Expected heartbeat interval, seconds; 0: what the host announces")
    double interval() default 0;

    @AttributeDefinition(description = "Grace, seconds; negative: the server's")
    double grace() default -1;

    /**
     * The host key, a private property ({@code .key}): DS keeps it out of the component's service properties, where
     * any bundle (and the runtime console's services page) could read it.
     */
    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Host key (base64); with a key the host must sign")
    String _key() default "";

    @AttributeDefinition(description = "User who owns the host")
    String owner() default "";

    @AttributeDefinition(description = "Hosts this one depends on")
    String[] dependsOn() default {};

    @AttributeDefinition(description = "Labels")
    String[] tags() default {};
}
