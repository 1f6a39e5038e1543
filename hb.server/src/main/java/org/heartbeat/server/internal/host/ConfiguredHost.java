package org.heartbeat.server.internal.host;

import java.util.List;

import org.heartbeat.protocol.HostKey;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/** A host from the configuration, one component per factory configuration; the registry tracks them. */
@Component(service = ConfiguredHost.class, configurationPid = HostSettings.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = HostSettings.class, factory = true)
public final class ConfiguredHost {
    private final HostTable.Configured host;

    @Activate
    public ConfiguredHost(HostSettings settings) {
        HostKey key = settings._key().isEmpty() ? null : HostKey.parse(settings._key());
        this.host = new HostTable.Configured(settings.name(), secondsToMillis(settings.interval()),
                settings.grace() < 0 ? -1 : secondsToMillis(settings.grace()), key,
                settings.owner().isEmpty() ? null : settings.owner(), List.of(settings.dependsOn()),
                List.of(settings.tags()));
    }

    public HostTable.Configured host() {
        return host;
    }

    public static long secondsToMillis(double seconds) {
        return Math.round(seconds * 1000);
    }
}
