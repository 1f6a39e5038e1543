package org.heartbeat.server.history.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Where and how long plugin values are kept, configuration PID {@value #PID}, written from the {@code history:}
 * section of {@code ~/.hb.yaml} by the core's configuration translator. Durations are in seconds.
 */
@ObjectClassDefinition(name = "Heartbeat history",
        description = "The store of plugin values. Written from the history: section of ~/.hb.yaml.")
public @interface HistorySettings {
    String PID = "org.heartbeat.server.history";

    @AttributeDefinition(description = "The history store file; a leading ~/ stands for the home directory")
    String file();

    @AttributeDefinition(description = "Seconds every sample is kept as it arrived")
    double raw() default 172_800;

    @AttributeDefinition(description = "Seconds any history is kept")
    double retention() default 604_800;

    @AttributeDefinition(description = "Seconds per point once samples are older than raw")
    double resolution() default 300;
}
