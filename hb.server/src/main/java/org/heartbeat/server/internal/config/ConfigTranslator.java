package org.heartbeat.server.internal.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.heartbeat.config.ChannelConfig;
import org.heartbeat.config.ConfigException;
import org.heartbeat.config.ConfigProblem;
import org.heartbeat.config.HostConfig;
import org.heartbeat.config.ServerConfig;
import org.heartbeat.config.TlsConfig;
import org.heartbeat.runtime.Launch;
import org.heartbeat.server.api.HostOverrides;
import org.heartbeat.server.internal.event.EventsSettings;
import org.heartbeat.server.internal.host.HostSettings;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The one component that reads the operator's {@code ~/.hb.yaml} (the file named by the framework property
 * {@value #CONFIG_PROPERTY}; built-in defaults without it) and turns it into ConfigAdmin configurations: the
 * server's settings, the history's ({@code org.heartbeat.server.history}), the event journal's, one per configured
 * host, the outbox's, one per notification channel, the runtime console's ({@code console:}, and the Felix Web
 * Console's own: on the main HTTP instance only), and the two HTTP instances. Settings that do not fit flat
 * properties (users, thresholds, routing) reach the alerting bundle as the {@link ServerConfig} itself, registered
 * as a service and replaced on reload. At start it takes the text
 * the launcher already read ({@link Launch#CONFIG_TEXT}), so the file is read once; {@link #reload()} reads it again
 * and changes only what changed; a file with mistakes changes nothing.
 *
 * <p>It is also the {@link HostOverrides} service: per-host settings changed at run time are kept in a file of
 * their own beside the state file ({@link OverridesFile}) and applied over {@code hosts:} before anything is
 * written, so the host configurations, the registered {@link ServerConfig} and {@link #current()} all show the
 * settings in force; an override wins over the file's value, at start and at every reload.
 */
@Component(service = {ConfigTranslator.class, HostOverrides.class}, immediate = true)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.heartbeat.config.ServerConfig",
        uses = ServerConfig.class)
public final class ConfigTranslator implements HostOverrides {
    /** Framework property: the configuration file. */
    public static final String CONFIG_PROPERTY = "heartbeat.config";

    private static final String ANY_LOCATION = "?";
    /** The history bundle's configuration PID (its settings are its own; this component only writes them). */
    static final String HISTORY_PID = "org.heartbeat.server.history";
    /** The HTTP bundle's configuration PID: the addresses it serves on. */
    static final String HTTP_PID = "org.heartbeat.server.http";
    /** The outbox bundle's configuration PID. */
    static final String OUTBOX_PID = "org.heartbeat.server.outbox";
    /** A notification channel's factory PID is this plus its type (NotificationChannel.CONFIG_PID_PREFIX). */
    static final String CHANNEL_PID_PREFIX = "org.heartbeat.notify.";
    /** Configuration property naming a channel (NotificationChannel.NAME). */
    static final String CHANNEL_NAME = "heartbeat.channel.name";
    /** The one channel key that stays a public property: the outbox reads it from the service. */
    static final String MAX_PER_HOUR = "max_per_hour";
    /** The runtime console's gate (hb.server.console): who may open /system/console. */
    static final String CONSOLE_PID = "org.heartbeat.server.console";
    /** The Felix Web Console's own configuration: it serves on the main HTTP instance only. */
    static final String WEBCONSOLE_PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
    /** Service property of the registered {@link ServerConfig}: counts the configurations applied. */
    public static final String GENERATION = "heartbeat.config.generation";

    private final ConfigurationAdmin configAdmin;
    private final Logger log;
    private final Path file;
    private final BundleContext context;
    private volatile ServerConfig current;
    /** The configuration file as read, without overrides. */
    private volatile ServerConfig fromFile;
    private Path overridesPath;
    private volatile Map<String, Map<String, Object>> overrides = Map.of();
    private ServerRegistration registration;
    private long generation;
    private final ChannelTypes channelTypes;
    private volatile boolean closed;
    /** How long after start a channel type without a bundle is warned about (FileInstall installs them first). */
    static final long TYPE_WARNING_DELAY_MS = 15_000;

    /** The registered configuration; replaced by registering the new one before unregistering the old. */
    private record ServerRegistration(ServiceRegistration<ServerConfig> registration) {
    }

    @Activate
    public ConfigTranslator(BundleContext context, @Reference ConfigurationAdmin configAdmin,
            @Reference(service = LoggerFactory.class) Logger log) throws IOException, ConfigException {
        this.configAdmin = configAdmin;
        this.log = log;
        this.context = context;
        String property = context.getProperty(CONFIG_PROPERTY);
        this.file = property == null || property.isBlank() ? null : Path.of(property);
        String text = context.getProperty(Launch.CONFIG_TEXT);
        ServerConfig config = file == null ? ServerConfig.defaults()
                : text != null ? ServerConfig.load(file, text) : ServerConfig.load(file);
        warn(config);
        this.fromFile = config;
        this.overridesPath = OverridesFile.beside(config.pickfile());
        this.overrides = readOverrides(overridesPath);
        ServerConfig effective = OverridesFile.apply(config, overrides);
        apply(effective, config);
        current = effective;
        publish(effective);
        log.info("configuration from {}{}", file == null ? "built-in defaults" : file, overrides.isEmpty() ? ""
                : ", with settings overrides for " + overrides.keySet() + " from " + overridesPath);
        this.channelTypes = new ChannelTypes(context, this::channelTypeChanged);
        channelTypes.open();
        if (!config.notificationChannels().isEmpty()) {
            java.util.concurrent.CompletableFuture.delayedExecutor(TYPE_WARNING_DELAY_MS,
                    java.util.concurrent.TimeUnit.MILLISECONDS).execute(() -> {
                        if (!closed) {
                            warnMissingTypes(current);
                        }
                    });
        }
    }

    /** A bundle brought or took away a channel type: check the channels of that type against it, or say they wait. */
    private void channelTypeChanged(String type) {
        ServerConfig config = current;
        if (config == null) {
            return;
        }
        List<String> names = config.notificationChannels().values().stream().filter(c -> c.type().equals(type))
                .map(ChannelConfig::name).toList();
        if (names.isEmpty()) {
            return;
        }
        if (channelTypes.provided(type)) {
            log.info("channel type {} is installed; channels {} can send", type, names);
            for (ChannelConfig c : config.notificationChannels().values()) {
                if (c.type().equals(type)) {
                    for (String p : channelTypes.problems(c)) {
                        log.error("{}: notification_channels.{} (line {}): {}", file, c.name(), c.line(), p);
                    }
                }
            }
        } else if (!closed) {
            log.warn("channel type {} is no longer installed; channels {} keep their notifications until it is",
                    type, names);
        }
    }

    private void warnMissingTypes(ServerConfig config) {
        for (ChannelConfig c : config.notificationChannels().values()) {
            if (!channelTypes.provided(c.type())) {
                log.warn("{}: notification_channels.{} (line {}): no bundle provides channel type {} yet; it activates"
                        + " when one is installed (plugins/hbd/hb.notify.{}.jar)", file, c.name(), c.line(), c.type(),
                        c.type());
            }
        }
    }

    @Deactivate
    synchronized void deactivate() {
        closed = true;
        channelTypes.close();
        if (registration != null) {
            registration.registration().unregister();
            registration = null;
        }
    }

    /** Registers the configuration in force as a service, with a higher ranking than the one it replaces. */
    private synchronized void publish(ServerConfig config) {
        generation++;
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(GENERATION, generation);
        props.put(org.osgi.framework.Constants.SERVICE_RANKING, (int) Math.min(generation, Integer.MAX_VALUE));
        ServerRegistration previous = registration;
        registration = new ServerRegistration(context.registerService(ServerConfig.class, config, props));
        if (previous != null) {
            previous.registration().unregister();
        }
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
        List<String> channelProblems = new java.util.ArrayList<>();
        for (ChannelConfig c : config.notificationChannels().values()) {
            for (String p : channelTypes.problems(c)) {
                channelProblems.add("notification_channels." + c.name() + " (line " + c.line() + "): " + p);
            }
        }
        if (!channelProblems.isEmpty()) {
            for (String p : channelProblems) {
                log.error("reload refused, the running configuration stays: {}: {}", file, p);
            }
            return false;
        }
        warn(config);
        warnMissingTypes(config);
        Path newOverridesPath = OverridesFile.beside(config.pickfile());
        Map<String, Map<String, Object>> newOverrides = readOverrides(newOverridesPath);
        ServerConfig effective = OverridesFile.apply(config, newOverrides);
        try {
            apply(effective, config);
        } catch (IOException e) {
            log.error("reload: cannot update the configuration: {}", e.toString());
            return false;
        }
        ServerConfig before = current;
        fromFile = config;
        overridesPath = newOverridesPath;
        overrides = newOverrides;
        current = effective;
        publish(effective);
        config = effective;
        if (before.hbPort() != config.hbPort() || before.hbdPort() != config.hbdPort()
                || before.wsPort() != config.wsPort() || !before.listen().equals(config.listen())
                || before.tls().enabled() != config.tls().enabled()) {
            String secure = config.tls().enabled() ? "S" : "";
            log.info("reload: ports now UDP {}, HTTP{} {}, WS{} {}", config.hbPort(), secure, config.hbdPort(),
                    secure, config.wsPort());
        }
        if (config.tls().enabled() && !before.tls().fingerprint().equals(config.tls().fingerprint())) {
            log.info("reload: serving the certificate in {} (SHA-256 {})", config.tls().cert(),
                    config.tls().fingerprint());
        }
        if (!Objects.equals(before.logfile(), config.logfile()) || !Objects.equals(before.pidfile(), config.pidfile())) {
            log.warn("reload: logfile and pidfile changes take effect at the next start");
        }
        log.info("reloaded configuration from {} ({} hosts configured)", file, config.hosts().size());
        return true;
    }

    private Map<String, Map<String, Object>> readOverrides(Path path) {
        List<String> problems = new java.util.ArrayList<>();
        try {
            Map<String, Map<String, Object>> read = OverridesFile.read(path, problems);
            problems.forEach(p -> log.error("{}", p));
            return read;
        } catch (IOException e) {
            log.error("cannot read the settings overrides, none apply: {}", e.getMessage());
            return Map.of();
        }
    }

    @Override
    public Map<String, Object> overrides(String host) {
        return overrides.getOrDefault(host, Map.of());
    }

    @Override
    public Map<String, Map<String, Object>> all() {
        return overrides;
    }

    @Override
    public synchronized Map<String, Object> set(String host, Map<String, ?> settings) {
        Map<String, Object> values = OverridesFile.validate(host, settings);
        Object owner = values.get("owner");
        ServerConfig config = fromFile;
        if (owner != null && !config.users().isEmpty() && !config.users().containsKey(owner)) {
            throw new IllegalArgumentException("owner: \"" + owner + "\" is not in users:");
        }
        Map<String, Map<String, Object>> next = new java.util.TreeMap<>(overrides);
        if (values.isEmpty()) {
            next.remove(host);
        } else {
            next.put(host, java.util.Collections.unmodifiableMap(values));
        }
        change(next);
        log.info("settings overrides of {} now {}", host, values);
        return values;
    }

    @Override
    public synchronized boolean clear(String host) {
        if (!overrides.containsKey(host)) {
            return false;
        }
        Map<String, Map<String, Object>> next = new java.util.TreeMap<>(overrides);
        next.remove(host);
        change(next);
        log.info("settings overrides of {} removed", host);
        return true;
    }

    /**
     * Writes the overrides file, then applies the configuration with them. When the file cannot be written nothing
     * changes; when ConfigAdmin then fails (it does not with Felix's, short of a full disk) the file has them and
     * they apply at the next reload or start.
     */
    private void change(Map<String, Map<String, Object>> next) {
        try {
            OverridesFile.write(overridesPath, next);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the settings overrides to " + overridesPath + ": " + e, e);
        }
        ServerConfig effective = OverridesFile.apply(fromFile, next);
        try {
            apply(effective, fromFile);
        } catch (IOException e) {
            throw new IllegalStateException("cannot update the configuration: " + e, e);
        }
        overrides = java.util.Collections.unmodifiableMap(next);
        current = effective;
        publish(effective);
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
    private void apply(ServerConfig config, ServerConfig fromFile) throws IOException {
        for (HostConfig h : config.hosts().values()) {
            configAdmin.getFactoryConfiguration(HostSettings.FACTORY_PID, h.name(), ANY_LOCATION)
                    .updateIfDifferent(host(h));
        }
        deleteHostsNotIn(config.hosts().keySet());
        configAdmin.getConfiguration(EventsSettings.PID, ANY_LOCATION).updateIfDifferent(events(config));
        configAdmin.getConfiguration(ServerSettings.PID, ANY_LOCATION).updateIfDifferent(server(config, fromFile));
        configAdmin.getConfiguration(HISTORY_PID, ANY_LOCATION).updateIfDifferent(history(config));
        configAdmin.getConfiguration(OUTBOX_PID, ANY_LOCATION).updateIfDifferent(outbox(config));
        configAdmin.getConfiguration(org.heartbeat.server.internal.peer.PeerSettings.PID, ANY_LOCATION)
                .updateIfDifferent(peers(config));
        for (ChannelConfig c : config.notificationChannels().values()) {
            configAdmin.getFactoryConfiguration(CHANNEL_PID_PREFIX + c.type(), c.name(), ANY_LOCATION)
                    .updateIfDifferent(channel(c));
        }
        deleteChannelsNotIn(config);
        // before the HTTP instances start, so that the console never appears on the WebSocket port
        configAdmin.getConfiguration(WEBCONSOLE_PID, ANY_LOCATION).updateIfDifferent(webconsole());
        configAdmin.getConfiguration(CONSOLE_PID, ANY_LOCATION).updateIfDifferent(console(config));
        configAdmin.getConfiguration(HTTP_PID, ANY_LOCATION).updateIfDifferent(http(config));
    }

    private static Dictionary<String, Object> peers(ServerConfig c) {
        Hashtable<String, Object> d = new Hashtable<>();
        d.put("peers", c.peers().addresses().toArray(String[]::new));
        d.put("name", c.peers().name());
        d.put("interval", c.peers().interval());
        d.put(".key", c.peers().key() == null ? "" : c.peers().key().toBase64());
        return d;
    }

    private static Dictionary<String, Object> outbox(ServerConfig c) {
        Hashtable<String, Object> d = new Hashtable<>();
        d.put("file", c.outbox().file().toString());
        d.put("giveUpAfter", c.outbox().giveUpAfter());
        d.put("keep", c.outbox().keep());
        d.put("channels", c.notificationChannels().values().stream().map(ch -> ch.name() + ":" + ch.type())
                .toArray(String[]::new));
        return d;
    }

    /**
     * A channel's configuration: its name, and every key of its entry as a private property (a leading dot), so
     * that no token or password becomes a service property that any bundle could read; only {@code max_per_hour}
     * stays public, for the outbox. Values keep their YAML types; lists become {@code String[]}.
     */
    static Dictionary<String, Object> channel(ChannelConfig c) {
        Hashtable<String, Object> d = new Hashtable<>();
        d.put(CHANNEL_NAME, c.name());
        for (var e : c.settings().entrySet()) {
            Object v = e.getValue() instanceof java.util.List<?> l ? l.stream().map(String::valueOf)
                    .toArray(String[]::new) : e.getValue();
            if (e.getKey().equals(MAX_PER_HOUR)) {
                d.put(MAX_PER_HOUR, v instanceof Number n ? n.intValue() : v);
            } else {
                d.put("." + e.getKey(), v);
            }
        }
        return d;
    }

    /** Deletes channel configurations whose name is gone, or whose name now has another type. */
    private void deleteChannelsNotIn(ServerConfig config) throws IOException {
        try {
            Configuration[] existing = configAdmin.listConfigurations("(" + CHANNEL_NAME + "=*)");
            if (existing == null) {
                return;
            }
            for (Configuration c : existing) {
                Object name = c.getProperties() == null ? null : c.getProperties().get(CHANNEL_NAME);
                ChannelConfig wanted = config.notificationChannels().get(String.valueOf(name));
                if (wanted == null || !c.getFactoryPid().equals(CHANNEL_PID_PREFIX + wanted.type())) {
                    c.delete();
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Dictionary<String, Object> http(ServerConfig config) {
        Hashtable<String, Object> d = new Hashtable<>();
        d.put("listen", config.listen());
        d.put("http.port", config.hbdPort());
        d.put("ws.port", config.wsPort());
        d.put("metrics.public", config.metricsPublic());
        d.put("session.idle.timeout", config.sessionIdleTimeout());
        TlsConfig tls = config.tls();
        d.put("tls.cert", tls.enabled() ? tls.cert().toAbsolutePath().toString() : "");
        d.put("tls.key", tls.enabled() ? tls.key().toAbsolutePath().toString() : "");
        d.put("tls.fingerprint", tls.fingerprint());
        Path pick = config.pickfile().toAbsolutePath();
        d.put("tls.keystore", tls.enabled() ? pick.resolveSibling(pick.getFileName() + "-https.p12").toString() : "");
        d.put("trusted.proxies", tls.trustedProxies().toArray(String[]::new));
        return d;
    }

    /** {@code console:}: off, localhost or on (hb.server.console's gate reads it). */
    private static Dictionary<String, Object> console(ServerConfig config) {
        Hashtable<String, Object> d = new Hashtable<>();
        d.put("mode", config.console());
        return d;
    }

    /**
     * The Felix Web Console's settings: on the main HTTP instance only ({@code http.service.filter} becomes its
     * whiteboard target) at {@code /system/console}. Its own user and password are never used: it waits for
     * hb.server.console's security provider (framework property {@code felix.webconsole.security.providers}).
     */
    private static Dictionary<String, Object> webconsole() {
        Hashtable<String, Object> d = new Hashtable<>();
        d.put("http.service.filter", "(org.apache.felix.http.name=hbd)");
        d.put("manager.root", "/system/console");
        d.put("realm", "hbd");
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

    /** The server's settings; {@code hosts} names the hosts of the file's {@code hosts:} (never forgotten). */
    private static Dictionary<String, Object> server(ServerConfig c, ServerConfig fromFile) {
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
        d.put("hosts", fromFile.hosts().keySet().toArray(String[]::new));
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
        d.put(".key", h.key() == null ? "" : h.key().toBase64());
        d.put("owner", h.owner() == null ? "" : h.owner());
        d.put("dependsOn", h.dependsOn().toArray(String[]::new));
        d.put("tags", h.tags().toArray(String[]::new));
        return d;
    }
}
