package org.heartbeat.server.internal;

import org.heartbeat.runtime.LogOutput;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * SIGHUP reloads the configuration and reopens the log file, the way daemons do: {@code hbd reload} sends
 * it, and so does {@code kill -HUP} or logrotate. Uses {@code sun.misc.Signal}, which HotSpot-derived JVMs
 * offer; where it is missing or the JVM runs with {@code -Xrs}, reload is unavailable and says so.
 */
@Component(immediate = true)
public final class SignalHandler {
    private final Logger log;
    private Object previous;

    @Activate
    public SignalHandler(@Reference ConfigTranslator translator, @Reference LogOutput logSink,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        Runnable onHangup = () -> {
            log.info("SIGHUP: reloading the configuration and reopening the log");
            logSink.reopen();
            translator.reload();
        };
        try {
            previous = Hangup.install(onHangup);
        } catch (LinkageError | IllegalArgumentException | IllegalStateException e) {
            log.warn("cannot handle SIGHUP in this JVM ({}); hbd reload will not work", e.toString());
        }
    }

    @Deactivate
    void deactivate() {
        if (previous != null) {
            try {
                Hangup.restore(previous);
            } catch (LinkageError | IllegalArgumentException | IllegalStateException e) {
                log.debug("cannot restore the previous SIGHUP handler: {}", e.toString());
            }
        }
    }

    /** Kept apart so that a JVM without sun.misc fails here, inside the guard, and nowhere else. */
    private static final class Hangup {
        static Object install(Runnable action) {
            return sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> action.run());
        }

        static void restore(Object previous) {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), (sun.misc.SignalHandler) previous);
        }
    }
}
