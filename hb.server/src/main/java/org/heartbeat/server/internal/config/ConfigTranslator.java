package org.heartbeat.server.internal.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Objects;
import java.util.Set;

import org.heartbeat.config.ConfigException;
import org.heartbeat.config.ConfigProblem;
import org.heartbeat.config.HostConfig;
import org.heartbeat.config.ServerConfig;
import org.heartbeat.runtime.Launch;
import org.heartbeat.server.internal.event.EventsSettings;
import org.heartbeat.server.internal.host.HostSettings;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The one component that reads the operator's {@code ~/.hb.yaml} (the file named by the framework property
 * {@value #CONFIG_PROPERTY}; built-in defaults without it) and turns it into ConfigAdmin configurations: the
 * server's settings, the history's ({@code org.heartbeat.server.history}), the event journal's, one per configured
 * host, and the two HTTP instances. Everything else gets its settings from ConfigAdmin. At start it takes the text
 * the launcher already read ({@link Launch#CONFIG_TEXT}), so the file is read once; {@link #reload()} reads it again
 * and changes only what changed; a file with mistakes changes nothing.
 */
@Component(service = ConfigTranslator.class, immediate = true)
public final class ConfigTranslator {
    /** Framework property: the configuration file. */
    public static final String CONFIG_PROPERTY = "heartbeat.config";

    private static final String ANY_LOCATION = "?";
    /** The history bundle's configuration PID (its settings are its own; this component only writes them). */
    static final String HISTORY_PID = "org.heartbeat.server.history";
    /** The HTTP bundle's configuration PID: the addresses it serves on. */
    static final String HTTP_PID = "org.heartbeat.server.http";

    private final ConfigurationAdmin configAdmin;
    private final Logger log;
    private final Path file;
    private volatile ServerConfig current;

    @Activate
    public ConfigTranslator(BundleContext context, @Reference ConfigurationAdmin configAdmin,
            @Reference(service = LoggerFactory.class) Logger log) throws IOException, ConfigException {
        this.configAdmin = configAdmin;
        this.log = log;
        String property = context.getProperty(CONFIG_PROPERTY);
        this.file = property == null || property.isBlank() ? null : Path.of(property);
        String text = context.getProperty(Launch.CONFIG_TEXT);
        ServerConfig config = file == null ? ServerConfig.defaults()
                : text != null ? ServerConfig.load(file, text) : ServerConfig.load(file);
        warn(config);
        apply(config);
        current = config;
        log.info("configuration from {}", file == null ? "built-in defaults" : file);
    }

    /** The configuration in force. */
    public ServerConfig current() {
        return current;
    }

    /**
     * Reads the file again and applies it. A file with mistakes is refused and the running configuration
     * stays as it is.
     *
     * @return whether the new configuration was applied
     */
    public synchronized boolean reload() {
        if (file == null) {
            log.info("reload: no configuration file, nothing to read");
            return false;
        }
        ServerConfig config;
        try {
            config = ServerConfig.load(file);
        } catch (ConfigException e) {
            for (ConfigProblem p : e.problems()) {
                log.error("reload refused, the running configuration stays: {}: {}", file, p);
            }
            return false;
        }
        warn(config);
        try {
            apply(config);
        } catch (IOException e) {
            log.error("reload: cannot update the configuration: {}", e.toString());
            return false;
        }
        ServerConfig before = current;
        current = config;
        if (before.hbPort() != config.hbPort() || before.hbdPort() != config.hbdPort()
                || before.wsPort() != config.wsPort() || !before.listen().equals(config.listen())) {
            log.info("reload: ports now UDP {}, HTTP {}, WS {}", config.hbPort(), config.hbdPort(), config.wsPort());
        }
        if (!Objects.equals(before.logfile(), config.logfile()) || !Objects.equals(before.pidfile(), config.pidfile())) {
            log.warn("reload: logfile and pidfile changes take effect at the next start");
        }
        log.info("reloaded configuration from {} ({} hosts configured)", file, config.hosts().size());
        return true;
    }

    private void warn(ServerConfig config) {
        for (ConfigProblem w : config.warnings()) {
            log.warn("{}: {}", file, w);
        }
    }

    /**
     * Writes the configurations, each only when its properties change ({@code updateIfDifferent}), so untouched
     * components keep running. The HTTP bundle opens the ports from
     * {@value #HTTP_PID} (when its gate is in place, so that no request reaches a resource while {@code hbd} starts).
     */
    private void apply(ServerConfig config) throws IOException {
        for (HostConfig h : config.hosts().values()) {
            configAdmin.getFactoryConfiguration(HostSettings.FACTORY_PID, h.name(), ANY_LOCATION)
                    .updateIfDifferent(host(h));
        }
        deleteHostsNotIn(config.hosts().keySet());
        configAdmin.getConfiguration(EventsSettings.PID, ANY_LOCATION).updateIfDifferent(events(config));
        configAdmin.getConfiguration(ServerSettings.PID, ANY_LOCATION).updateIfDifferent(server(config));
        configAdmin.getConfiguration(HISTORY_PID, ANY_LOCATION).updateIfDifferent(history(config));
        configAdmin.getConfiguration(HTTP_PID, ANY_LOCATION).updateIfDifferent(http(config));
    }

    private static Dictionary<String, Object> http(ServerConfig config) {
        Hashtable<String, Object> d = new Hashtable<>();
        d.put("listen", config.listen());
        d.put("http.port", config.hbdPort());
        d.put("ws.port", config.wsPort());
        d.put("metrics.public", config.metricsPublic());
        return d;
    }

    private void deleteHostsNotIn(Set<String> names) throws IOException {
        try {
            Configuration[] existing = configAdmin.listConfigurations(
                    "(service.factoryPid=" + HostSettings.FACTORY_PID + ")");
            if (existing == null) {
                return;
            }
            for (Configuration c : existing) {
                Object name = c.getProperties() == null ? null : c.getProperties().get("name");
                if (!names.contains(name)) {
                    c.delete();
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Dictionary<String, Object> server(ServerConfig c) {
        Hashtable<String, Object> d = new Hashtable<>();
        d.put("listen", c.listen());
        d.put("hbPort", c.hbPort());
        d.put("interval", c.interval());
        d.put("grace", c.grace());
        d.put("pickfile", c.pickfile().toString());
        d.put("saveInterval", c.saveInterval());
        d.put("requireAuth", c.requireAuth());
        d.put("authWindow", c.authWindow());
        d.put("maxHosts", c.maxHosts());
        d.put("forgetAfter", c.forgetAfter());
        d.put("maxInterval", c.maxInterval());
        d.put("hosts", c.hosts().keySet().toArray(String[]::new));
        return d;
    }

    private static Dictionary<String, Object> history(ServerConfig c) {
        Hashtable<String, Object> d = new Hashtable<>();
        d.put("file", c.history().file().toString());
        d.put("raw", c.history().raw());
        d.put("retention", c.history().retention());
        d.put("resolution", c.history().resolution());
        d.put("maxPluginsPerHost", c.history().maxPluginsPerHost());
        d.put("maxMetricsPerPlugin", c.history().maxMetricsPerPlugin());
        d.put("maxSizeMb", c.history().maxSizeMb());
        return d;
    }

    private static Dictionary<String, Object> events(ServerConfig c) {
        Hashtable<String, Object> d = new Hashtable<>();
        d.put("dir", c.events().dir().toString());
        d.put("retention", c.events().retention());
        d.put("maxBytes", (long) c.events().maxSizeMb() * 1024 * 1024);
        return d;
    }

    private static Dictionary<String, Object> host(HostConfig h) {
        Hashtable<String, Object> d = new Hashtable<>();
        d.put("name", h.name());
        d.put("interval", h.interval());
        d.put("grace", h.grace());
        d.put("key", h.key() == null ? "" : h.key().toBase64());
        d.put("owner", h.owner() == null ? "" : h.owner());
        d.put("dependsOn", h.dependsOn().toArray(String[]::new));
        d.put("tags", h.tags().toArray(String[]::new));
        return d;
    }
}
