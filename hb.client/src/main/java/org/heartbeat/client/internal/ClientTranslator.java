package org.heartbeat.client.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.heartbeat.api.MetricSource;
import org.heartbeat.config.ClientConfig;
import org.heartbeat.config.ConfigException;
import org.heartbeat.config.ConfigProblem;
import org.heartbeat.config.PluginSettings;
import org.heartbeat.protocol.HostNames;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The one component that reads the client's {@code ~/.hbc.yaml} and the command line's overrides (framework
 * properties set by {@code bin/hbc}) and turns them into ConfigAdmin configurations: {@link ClientSettings}
 * and one configuration per entry of {@code plugins:}, PID {@code org.heartbeat.plugin.NAME}, which the
 * plugin's component takes even when its bundle arrives later.
 */
@Component(service = ClientTranslator.class, immediate = true)
public final class ClientTranslator {
    public static final String CONFIG_PROPERTY = "heartbeat.config";
    public static final String SERVERS_PROPERTY = "heartbeat.client.servers";
    public static final String PORT_PROPERTY = "heartbeat.client.port";
    public static final String INTERVAL_PROPERTY = "heartbeat.client.interval";
    public static final String NAME_PROPERTY = "heartbeat.client.name";
    public static final String KEYFILE_PROPERTY = "heartbeat.client.keyfile";
    public static final String BOOT_PROPERTY = "heartbeat.client.boot";

    private static final String ANY_LOCATION = "?";

    @Activate
    public ClientTranslator(BundleContext context, @Reference ConfigurationAdmin configAdmin,
            @Reference(service = LoggerFactory.class) Logger log) throws IOException, ConfigException {
        String file = context.getProperty(CONFIG_PROPERTY);
        ClientConfig config = file == null || file.isBlank() ? ClientConfig.defaults() : ClientConfig.load(Path.of(file));
        for (ConfigProblem w : config.warnings()) {
            log.warn("{}: {}", file, w);
        }
        Hashtable<String, Object> client = new Hashtable<>();
        String servers = context.getProperty(SERVERS_PROPERTY);
        List<String> serverList = servers == null || servers.isBlank() ? config.servers()
                : Arrays.asList(servers.strip().split("[,\\s]+"));
        client.put("servers", serverList.toArray(String[]::new));
        client.put("port", intProperty(context, PORT_PROPERTY, config.hbPort()));
        client.put("interval", doubleProperty(context, INTERVAL_PROPERTY, config.interval()));
        String name = first(context.getProperty(NAME_PROPERTY), config.name());
        client.put("name", name == null ? org.heartbeat.config.MachineName.local() : name);
        HostNames.check((String) client.get("name"));
        Path keyFile = config.keyFile();
        String keyOverride = context.getProperty(KEYFILE_PROPERTY);
        client.put("keyFile", keyOverride != null ? keyOverride : keyFile == null ? "" : keyFile.toString());
        client.put("boot", Boolean.parseBoolean(context.getProperty(BOOT_PROPERTY)));
        configAdmin.getConfiguration(ClientSettings.PID, ANY_LOCATION).update(client);

        for (PluginSettings p : config.plugins().values()) {
            Configuration c = configAdmin.getConfiguration(MetricSource.CONFIG_PID_PREFIX + p.name(), ANY_LOCATION);
            c.update(pluginProperties(p));
        }
        log.info("configuration from {}; plugins configured: {}", file == null ? "built-in defaults" : file,
                config.plugins().isEmpty() ? "none" : String.join(", ", config.plugins().keySet()));
    }

    /**
     * A plugin's configuration: {@code interval} and {@code timeout} in seconds when the entry gives them (the
     * scheduler reads them from the plugin's service properties, and applies its defaults to those absent), and
     * the plugin's own keys, nested keys joined with dots ({@code checks.load}), lists as arrays.
     */
    static Hashtable<String, Object> pluginProperties(PluginSettings p) {
        Hashtable<String, Object> d = new Hashtable<>();
        flatten("", p.settings(), d);
        d.remove(MetricSource.INTERVAL);
        d.remove(MetricSource.TIMEOUT);
        p.interval().ifPresent(v -> d.put(MetricSource.INTERVAL, v));
        p.timeout().ifPresent(v -> d.put(MetricSource.TIMEOUT, v));
        return d;
    }

    private static void flatten(String prefix, Map<String, Object> map, Hashtable<String, Object> out) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String key = prefix + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) nested;
                flatten(key + ".", m, out);
            } else if (v instanceof List<?> list && list.stream().allMatch(ClientTranslator::scalar)) {
                out.put(key, list.stream().map(String::valueOf).toArray(String[]::new));
            } else if (v instanceof List<?> list) {
                // a list of maps or lists: element i becomes key.i, flattened like a map
                Map<String, Object> indexed = new java.util.LinkedHashMap<>();
                for (int i = 0; i < list.size(); i++) {
                    indexed.put(Integer.toString(i), list.get(i));
                }
                flatten(key + ".", indexed, out);
            } else if (v != null) {
                out.put(key, v);
            }
        }
    }

    private static boolean scalar(Object o) {
        return o instanceof String || o instanceof Number || o instanceof Boolean;
    }

    private static String first(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    private static int intProperty(BundleContext context, String property, int def) {
        String v = context.getProperty(property);
        return v == null || v.isBlank() ? def : Integer.parseInt(v.strip());
    }

    private static double doubleProperty(BundleContext context, String property, double def) {
        String v = context.getProperty(property);
        return v == null || v.isBlank() ? def : Double.parseDouble(v.strip());
    }
}
