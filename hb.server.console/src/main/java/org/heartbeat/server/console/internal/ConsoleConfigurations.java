package org.heartbeat.server.console.internal;

import java.util.Collection;
import java.util.Dictionary;
import java.util.Locale;

import org.apache.felix.webconsole.spi.ConfigurationHandler;
import org.apache.felix.webconsole.spi.ValidationException;
import org.osgi.service.component.annotations.Component;

/**
 * What the console's configuration page ({@code /system/console/configMgr}) may show and change. It never shows a
 * private property (a name beginning with a dot: the notification channels' tokens and passwords, the peers' key,
 * the hosts' keys) nor one whose name speaks of a password, token, secret or key, so not even a property that no
 * MetaType description marks as a password reaches the browser. Heartbeat's own configurations ({@value #OURS}*, and
 * the console's own) are written from {@code hb.yaml} by {@code hbd}, which would overwrite any change at the next reload: the console may
 * look at them but not change, create or delete them. Called by the console on Jetty's request threads.
 */
@Component(service = ConfigurationHandler.class)
public final class ConsoleConfigurations implements ConfigurationHandler {
    /** The PIDs that hb.yaml owns (the configuration translator's, the channels', the HTTP instances'). */
    static final String OURS = "org.heartbeat.";
    /** The console's own settings, which hbd also writes (its HTTP instance). */
    static final String WEBCONSOLE = "org.apache.felix.webconsole.internal.servlet.OsgiManager";

    @Override
    public void createConfiguration(String pid) throws ValidationException {
        refuseOurs(null, pid);
    }

    @Override
    public void createFactoryConfiguration(String factoryPid, String name) throws ValidationException {
        refuseOurs(factoryPid, null);
    }

    @Override
    public void deleteConfiguration(String factoryPid, String pid) throws ValidationException {
        refuseOurs(factoryPid, pid);
    }

    @Override
    public void updateConfiguration(String factoryPid, String pid, Dictionary<String, Object> props)
            throws ValidationException {
        refuseOurs(factoryPid, pid);
    }

    @Override
    public void filterProperties(String factoryPid, String pid, Collection<String> propertyNames) {
        propertyNames.removeIf(ConsoleConfigurations::secret);
    }

    /** Whether a property is one the console must not show. */
    static boolean secret(String name) {
        if (name.startsWith(".")) {
            return true;
        }
        String n = name.toLowerCase(Locale.ROOT);
        return n.contains("password") || n.contains("token") || n.contains("secret") || n.equals("key")
                || n.endsWith(".key") || n.endsWith("_key");
    }

    private static void refuseOurs(String factoryPid, String pid) throws ValidationException {
        String p = factoryPid != null ? factoryPid : pid;
        if (p != null && (p.startsWith(OURS) || p.equals(WEBCONSOLE))) {
            throw new ValidationException(p + " is written by hbd from hb.yaml: change hb.yaml and run hbd reload");
        }
    }
}
