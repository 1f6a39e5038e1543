package org.heartbeat.server.outbox.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Where notifications wait and for how long, configuration PID {@value #PID}, written from the {@code outbox:}
 * section and the names of {@code notification_channels:} of {@code ~/.hb.yaml} by the core's configuration
 * translator. Durations are in seconds.
 */
@ObjectClassDefinition(name = "Heartbeat outbox",
        description = "Notifications on their way to the channels. Written from the outbox: section of ~/.hb.yaml.")
public @interface OutboxSettings {
    String PID = "org.heartbeat.server.outbox";

    @AttributeDefinition(description = "The outbox store file; a leading ~/ stands for the home directory")
    String file();

    @AttributeDefinition(description = "Seconds after its queueing (or its retry by hand) past which a"
            + " notification that still fails is recorded as failed for good")
    double giveUpAfter() default 86_400;

    @AttributeDefinition(description = "Seconds delivered, failed and summarised entries are kept for the API"
            + " (at least 3600, so the send limit's hour can be counted)")
    double keep() default 604_800;

    @AttributeDefinition(description = "Every channel of notification_channels: as name:type")
    String[] channels() default {};
}
