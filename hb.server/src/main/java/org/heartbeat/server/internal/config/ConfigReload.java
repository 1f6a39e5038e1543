package org.heartbeat.server.internal.config;

import org.heartbeat.runtime.Launch;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** On SIGHUP ({@code hbd reload}), after the log is reopened, reads the configuration again. */
@Component(service = Runnable.class, property = Launch.SIGNAL + "=HUP")
public final class ConfigReload implements Runnable {
    private final ConfigTranslator translator;

    @Activate
    public ConfigReload(@Reference ConfigTranslator translator) {
        this.translator = translator;
    }

    @Override
    public void run() {
        translator.reload();
    }
}
