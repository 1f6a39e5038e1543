package org.heartbeat.server.internal.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.heartbeat.config.ChannelConfig;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.util.tracker.BundleTracker;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The notification channel types that installed bundles provide, and the keys each accepts, read from the bundles'
 * metatype documents ({@code OSGI-INF/metatype/*.xml}: the {@code Designate} of factory PID
 * {@code org.heartbeat.notify.TYPE} and its {@code OCD}'s attributes). So {@code hbd} checks the operator's
 * {@code notification_channels:} against what the installed channel expects, without a metatype service, and
 * learns when a bundle for a type arrives or leaves.
 */
final class ChannelTypes {
    /** One attribute of a channel type: its key as written in YAML (without the private dot) and its rules. */
    record Key(String name, String type, boolean required, boolean hasDefault) {
    }

    private final Map<String, Map<String, Key>> types = new ConcurrentHashMap<>();
    private final BundleTracker<List<String>> tracker;

    /**
     * @param changed told the type that a bundle just brought or took away (on the framework's event thread)
     */
    ChannelTypes(BundleContext context, Consumer<String> changed) {
        this.tracker = new BundleTracker<>(context, Bundle.ACTIVE | Bundle.STARTING | Bundle.RESOLVED, null) {
            @Override
            public List<String> addingBundle(Bundle bundle, BundleEvent event) {
                Map<String, Map<String, Key>> found = read(bundle);
                if (found.isEmpty()) {
                    return null;
                }
                provide(found);
                found.keySet().forEach(changed);
                return List.copyOf(found.keySet());
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, List<String> provided) {
                for (String t : provided) {
                    types.remove(t);
                    changed.accept(t);
                }
            }
        };
    }

    void open() {
        tracker.open();
    }

    void close() {
        tracker.close();
    }

    /** Records the types a bundle provides. */
    void provide(Map<String, Map<String, Key>> found) {
        types.putAll(found);
    }

    boolean provided(String type) {
        return types.containsKey(type);
    }

    /**
     * What is wrong with a channel's keys for its installed type: unknown keys (with the keys it has) and missing
     * required ones. Empty when all is well or when no bundle provides the type (nothing to check against).
     */
    List<String> problems(ChannelConfig c) {
        Map<String, Key> keys = types.get(c.type());
        if (keys == null) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        for (String k : c.settings().keySet()) {
            if (!keys.containsKey(k)) {
                problems.add(c.type() + " has no key " + k + " (its keys: " + String.join(", ",
                        new TreeSet<>(keys.keySet())) + ")");
            }
        }
        for (Key k : keys.values()) {
            if (k.required() && !k.hasDefault() && !c.settings().containsKey(k.name())) {
                problems.add("missing " + k.name() + ", which " + c.type() + " needs");
            }
        }
        return problems;
    }

    /** The channel types a bundle's metatype documents describe, by type. */
    static Map<String, Map<String, Key>> read(Bundle bundle) {
        Enumeration<URL> entries = bundle.findEntries("OSGI-INF/metatype", "*.xml", false);
        if (entries == null) {
            return Map.of();
        }
        Map<String, Map<String, Key>> found = new LinkedHashMap<>();
        for (URL url : Collections.list(entries)) {
            try (InputStream in = url.openStream()) {
                found.putAll(parse(in));
            } catch (IOException | SAXException | ParserConfigurationException e) {
                // a document we cannot read describes nothing we can check; the channel is still configured
            }
        }
        return found;
    }

    static Map<String, Map<String, Key>> parse(InputStream in)
            throws IOException, SAXException, ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        DocumentBuilder b = f.newDocumentBuilder();
        Document doc = b.parse(in);
        Map<String, Element> ocds = new LinkedHashMap<>();
        NodeList ocdNodes = doc.getElementsByTagNameNS("*", "OCD");
        for (int i = 0; i < ocdNodes.getLength(); i++) {
            Element e = (Element) ocdNodes.item(i);
            ocds.put(e.getAttribute("id"), e);
        }
        Map<String, Map<String, Key>> found = new LinkedHashMap<>();
        NodeList designates = doc.getElementsByTagNameNS("*", "Designate");
        for (int i = 0; i < designates.getLength(); i++) {
            Element d = (Element) designates.item(i);
            String pid = d.getAttribute("factoryPid");
            if (!pid.startsWith(ConfigTranslator.CHANNEL_PID_PREFIX)) {
                continue;
            }
            NodeList objects = d.getElementsByTagNameNS("*", "Object");
            if (objects.getLength() == 0) {
                continue;
            }
            Element ocd = ocds.get(((Element) objects.item(0)).getAttribute("ocdref"));
            if (ocd == null) {
                continue;
            }
            Map<String, Key> keys = new LinkedHashMap<>();
            NodeList ads = ocd.getElementsByTagNameNS("*", "AD");
            for (int j = 0; j < ads.getLength(); j++) {
                Element ad = (Element) ads.item(j);
                String id = ad.getAttribute("id");
                String name = id.startsWith(".") ? id.substring(1) : id;
                boolean required = !"false".equals(ad.getAttribute("required"));
                keys.put(name, new Key(name, ad.getAttribute("type"), required, ad.hasAttribute("default")));
            }
            keys.putIfAbsent(ConfigTranslator.MAX_PER_HOUR,
                    new Key(ConfigTranslator.MAX_PER_HOUR, "Integer", false, true));
            found.put(pid.substring(ConfigTranslator.CHANNEL_PID_PREFIX.length()), keys);
        }
        return found;
    }
}
