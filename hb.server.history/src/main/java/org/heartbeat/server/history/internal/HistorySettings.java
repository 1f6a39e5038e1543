package org.heartbeat.server.history.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Where and how long plugin values are kept, configuration PID {@value #PID}, written from the {@code history:}
 * section of {@code ~/.hb.yaml} by the core's configuration translator. Durations are in seconds. The last three
 * attributes bound what hosts can make the server keep, whatever they send.
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

    @AttributeDefinition(description = "The most plugins kept per host, in the latest values and in the history")
    int maxPluginsPerHost() default 64;

    @AttributeDefinition(description = "The most metric series kept per plugin of a host")
    int maxMetricsPerPlugin() default 1000;

    @AttributeDefinition(description = "MB (2^20 bytes) of data in the store's file past which no new series are"
            + " created; when the file has also grown past 110% of it, no values are recorded")
    int maxSizeMb() default 2048;
}
