package org.heartbeat.server.alerting.internal.threshold;

import java.time.Instant;

import org.heartbeat.api.MetricPath;
import org.heartbeat.server.api.alert.Alert;

/**
 * A value of a host that is not OK now, as {@link ThresholdEvaluator#levels(String)} lists it for the API.
 *
 * @param plugin the plugin's name
 * @param path where the value sits in the plugin's sample
 * @param kind {@link Alert.Kind#THRESHOLD} or {@link Alert.Kind#NAGIOS}
 * @param level WARNING, CRITICAL or (Nagios) UNKNOWN
 * @param value the latest value (a Nagios state as 0 to 3)
 * @param threshold the threshold of {@code level}; null for Nagios
 * @param since when the level began
 */
public record ThresholdState(String plugin, MetricPath path, Alert.Kind kind, Level level, double value,
        Double threshold, Instant since) {
}
