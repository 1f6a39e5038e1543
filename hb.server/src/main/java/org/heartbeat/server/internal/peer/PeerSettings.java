package org.heartbeat.server.internal.peer;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Heartbeats to peers, configuration PID {@value #PID}, written from {@code peers:}, {@code peer_name},
 * {@code peer_interval} and {@code peer_key} of {@code ~/.hb.yaml}.
 */
@ObjectClassDefinition(name = "Heartbeat peers",
        description = "Other hbd instances this one sends heartbeats to, so that they watch each other.")
public @interface PeerSettings {
    String PID = "org.heartbeat.server.peers";

    @AttributeDefinition(description = "host:port of each peer's heartbeat port")
    String[] peers() default {};

    @AttributeDefinition(description = "The name this hbd reports under")
    String name();

    @AttributeDefinition(description = "Seconds between heartbeats")
    double interval() default 10;

    @AttributeDefinition(type = AttributeType.PASSWORD, required = false,
            description = "Host key to sign with (base64); empty: unsigned")
    String _key() default "";
}
