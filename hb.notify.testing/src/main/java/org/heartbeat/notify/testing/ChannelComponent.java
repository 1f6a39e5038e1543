package org.heartbeat.notify.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Resource;

/**
 * A channel component as the bundle describes it: the Declarative Services and metatype XML that bnd generates
 * from the component's annotations, generated here from the compiled classes by the same bnd, with the settings
 * of the Heartbeat build ({@code -dsannotations: *}, {@code -metatypeannotations: *}).
 *
 * <p>It answers the question that matters for secrets: which properties of a configured channel does every bundle
 * see? Declarative Services registers the service with the component's own properties (the {@code <property>}
 * elements) and its configuration's properties, except the private ones, whose names start with a dot (OSGi
 * Compendium 112.6). {@code hbd} writes every key of the channel's YAML entry as {@code .key}, except
 * {@code max_per_hour} and the channel's name ({@link #configuration(Map)}).
 *
 * <pre>{@code
 * ChannelComponent c = ChannelComponent.of(PushoverChannel.class);
 * assertThat(c.serviceProperties(Map.of("token", TOKEN, "user", USER))).doesNotContainValue(TOKEN);
 * }</pre>
 */
public final class ChannelComponent {
    /** The public configuration keys: everything else of a channel's entry is written with a leading dot. */
    public static final String MAX_PER_HOUR = "max_per_hour";
    public static final String NAME = "heartbeat.channel.name";

    private final Map<String, String> componentProperties;
    private final Map<String, String> attributeTypes;

    private ChannelComponent(Map<String, String> componentProperties, Map<String, String> attributeTypes) {
        this.componentProperties = componentProperties;
        this.attributeTypes = attributeTypes;
    }

    /** Builds the XML of {@code component}, a class with {@code @Component} and {@code @Designate}, with bnd. */
    public static ChannelComponent of(Class<?> component) throws Exception {
        File classes = classesOf(component);
        try (Builder b = new Builder()) {
            b.setProperty("-dsannotations", "*");
            b.setProperty("-metatypeannotations", "*");
            b.setProperty("-includepackage", component.getPackageName());
            b.setProperty("-failok", "true");
            b.addClasspath(classes);
            for (File f : classpath(classes)) {
                b.addClasspath(f);
            }
            Jar jar = b.build();
            Resource ds = jar.getResource("OSGI-INF/" + component.getName() + ".xml");
            assertThat(ds).as("bnd made no component XML for %s: %s", component, b.getErrors()).isNotNull();
            Document dsXml = parse(ds);
            Map<String, String> properties = new LinkedHashMap<>();
            NodeList props = dsXml.getElementsByTagNameNS("*", "property");
            for (int i = 0; i < props.getLength(); i++) {
                Element p = (Element) props.item(i);
                properties.put(p.getAttribute("name"), p.getAttribute("value"));
            }
            Map<String, String> types = new TreeMap<>();
            jar.getResources().forEach((path, resource) -> {
                if (path.startsWith("OSGI-INF/metatype/")) {
                    try {
                        NodeList ads = parse(resource).getElementsByTagNameNS("*", "AD");
                        for (int i = 0; i < ads.getLength(); i++) {
                            Element ad = (Element) ads.item(i);
                            types.put(ad.getAttribute("id"), ad.getAttribute("type"));
                        }
                    } catch (Exception e) {
                        throw new AssertionError("unreadable metatype " + path, e);
                    }
                }
            });
            assertThat(types).as("bnd made no metatype for %s", component).isNotEmpty();
            return new ChannelComponent(Map.copyOf(properties), Map.copyOf(types));
        }
    }

    /**
     * The component's own properties: from its {@code @Component(property = ...)}, and the defaults of its typed
     * configuration, which bnd writes there too. Those without a leading dot are on the service.
     */
    public Map<String, String> componentProperties() {
        return componentProperties;
    }

    /** Each metatype attribute's id (the property it describes) and type ({@code String}, {@code Password}...). */
    public Map<String, String> attributeTypes() {
        return attributeTypes;
    }

    /**
     * The configuration {@code hbd} writes for a channel's YAML entry (without {@code type}, which picks the
     * factory PID): each key with a leading dot, except {@value #MAX_PER_HOUR} and {@value #NAME}.
     */
    public static Map<String, Object> configuration(Map<String, ?> entry) {
        Map<String, Object> out = new LinkedHashMap<>();
        entry.forEach((k, v) -> out.put(k.equals(MAX_PER_HOUR) || k.equals(NAME) ? k : "." + k, v));
        return out;
    }

    /**
     * The properties every bundle sees on the service of a channel configured with this YAML entry: the
     * component's own, and the configuration's that are not private (a leading dot), the configuration's winning.
     */
    public Map<String, Object> serviceProperties(Map<String, ?> entry) {
        Map<String, Object> out = new TreeMap<>();
        componentProperties.forEach((k, v) -> {
            if (!k.startsWith(".")) {
                out.put(k, v);
            }
        });
        configuration(entry).forEach((k, v) -> {
            if (!k.startsWith(".")) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * Asserts that no configuration key of this channel is public but {@value #MAX_PER_HOUR}: every attribute of
     * the metatype describes a private property (a leading dot, which hbd writes), every password attribute among
     * them; and that the component's public properties are {@code heartbeat.channel.type} and a default
     * {@value #MAX_PER_HOUR} and nothing else (its private ones, the defaults of other keys, are not on the
     * service).
     */
    public void assertOnlyTheSendLimitIsPublic(String type, int defaultMaxPerHour) {
        assertThat(attributeTypes).containsEntry(MAX_PER_HOUR, "Integer");
        attributeTypes.forEach((id, adType) -> assertThat(id.startsWith(".") || id.equals(MAX_PER_HOUR))
                .as("attribute %s (%s) must be a private property, .%s", id, adType, id).isTrue());
        Map<String, String> open = new TreeMap<>(componentProperties);
        open.keySet().removeIf(k -> k.startsWith("."));
        assertThat(open).containsOnly(Map.entry("heartbeat.channel.type", type),
                Map.entry(MAX_PER_HOUR, Integer.toString(defaultMaxPerHour)));
    }

    private static Document parse(Resource r) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        try (InputStream in = r.openInputStream()) {
            return f.newDocumentBuilder().parse(in);
        }
    }

    private static File classesOf(Class<?> c) throws URISyntaxException {
        return new File(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /**
     * The rest of the test's class path, so that bnd can read the annotations and the types they name; without the
     * test classes, which share the component's package.
     */
    private static List<File> classpath(File classes) {
        List<File> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            File f = new File(entry);
            if (f.exists() && !f.equals(classes) && !f.getName().equals("test-classes")) {
                out.add(f);
            }
        }
        return out;
    }
}
