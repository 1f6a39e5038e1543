package org.heartbeat.server.internal.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.heartbeat.server.api.ListenerStatus;
import org.heartbeat.server.internal.Components;
import org.junit.jupiter.api.Test;

class WatchdogTest {
    private final Components.RecordingLogger log = new Components.RecordingLogger();

    private static final class Busy extends Delivery {
        Busy() {
            super("alerts", "test-");
        }

        @Override
        public void run() {
        }

        @Override
        long behind() {
            return 42;
        }

        @Override
        ListenerStatus.Kind kind() {
            return ListenerStatus.Kind.EVENTS;
        }
    }

    @Test
    void aListenerInOneCallPastTheLimitIsNamedOnceAndAgainWhenItMoves() {
        Busy d = new Busy();
        d.busy("event 7 (OVERDUE web1)");
        Instant start = d.busySince();

        Watchdog.check(d, log.logger, start.plusSeconds(5));
        assertThat(log.lines).isEmpty();

        Watchdog.check(d, log.logger, start.plus(Delivery.STALL).plusSeconds(1));
        Watchdog.check(d, log.logger, start.plus(Delivery.STALL).plusSeconds(2));
        assertThat(log.lines).singleElement().asString().contains("alerts", "stalled", "11", "OVERDUE web1", "42");
        assertThat(d.status().stalled(start.plus(Delivery.STALL).plusSeconds(1), Delivery.STALL)).isTrue();

        d.idle();
        Watchdog.check(d, log.logger, start.plusSeconds(30));
        assertThat(log.lines).hasSize(2).last().asString().contains("alerts", "moving again");
    }
}
