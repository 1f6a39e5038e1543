package org.heartbeat.client.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.heartbeat.protocol.Datagrams;

/**
 * Records what the scheduler sends. Samples go through the real encoder first, so a sample too large for
 * the protocol fails here exactly as it fails in {@link HeartbeatClient}.
 */
final class RecordingSink implements PluginSink {
    /** One thing sent: a sample (values set) or an error (message set). */
    record Sent(String plugin, long intervalMillis, Map<String, ?> values, String message, String thread,
            long nanos) {
        boolean isError() {
            return message != null;
        }
    }

    final List<Sent> sent = new CopyOnWriteArrayList<>();
    /** Runs at the start of every sample sent, on the sending thread: lets a test hold a send in flight. */
    volatile Runnable onSample = () -> { };

    @Override
    public void sendPluginSample(String plugin, long intervalMillis, Map<String, ?> values) {
        onSample.run();
        Datagrams.encodePluginSample("itest-host", System.currentTimeMillis(), intervalMillis, plugin, values, null,
                n -> 1);
        sent.add(new Sent(plugin, intervalMillis, values, null, Thread.currentThread().getName(), System.nanoTime()));
    }

    @Override
    public void sendPluginError(String plugin, long intervalMillis, String message) {
        sent.add(new Sent(plugin, intervalMillis, null, message, Thread.currentThread().getName(), System.nanoTime()));
    }

    List<Sent> samples(String plugin) {
        return sent.stream().filter(s -> s.plugin().equals(plugin) && !s.isError()).toList();
    }

    List<String> errors(String plugin) {
        return sent.stream().filter(s -> s.plugin().equals(plugin) && s.isError()).map(Sent::message).toList();
    }

    List<Sent> of(String plugin) {
        return sent.stream().filter(s -> s.plugin().equals(plugin)).toList();
    }
}
