package org.heartbeat.server.internal.event;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Where and how long host events are kept, configuration PID {@value #PID}, written from the {@code events:} section
 * of {@code ~/.hb.yaml}. Durations are in seconds.
 */
@ObjectClassDefinition(name = "Heartbeat event journal",
        description = "The journal of host events. Written from the events: section of ~/.hb.yaml.")
public @interface EventsSettings {
    String PID = "org.heartbeat.server.events";

    @AttributeDefinition(description = "The journal's directory")
    String dir();

    @AttributeDefinition(description = "Seconds events are kept")
    double retention() default 90 * 86_400;

    @AttributeDefinition(description = "The most bytes the journal may take on disk; the oldest events go first")
    long maxBytes() default 256L * 1024 * 1024;
}
