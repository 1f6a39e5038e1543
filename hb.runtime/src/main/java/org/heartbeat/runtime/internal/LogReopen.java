package org.heartbeat.runtime.internal;

import org.heartbeat.runtime.Launch;
import org.heartbeat.runtime.LogOutput;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** On SIGHUP, reopens the log file (after logrotate moved it), before anything else acts on the signal. */
@Component(service = Runnable.class, property = {Launch.SIGNAL + "=HUP",
        Constants.SERVICE_RANKING + ":Integer=" + Launch.REOPEN_LOG_RANKING})
public final class LogReopen implements Runnable {
    private final LogOutput log;

    @Activate
    public LogReopen(@Reference LogOutput log) {
        this.log = log;
    }

    @Override
    public void run() {
        log.reopen();
    }
}
