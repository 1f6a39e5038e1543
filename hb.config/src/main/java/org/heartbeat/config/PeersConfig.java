package org.heartbeat.config;

import java.util.ArrayList;
import java.util.List;

import org.heartbeat.protocol.HostKey;
import org.heartbeat.protocol.HostNames;

/**
 * Who watches the watcher: {@code hbd} sends heartbeats of its own to the other {@code hbd}s in {@code peers:}, so
 * that a pair (or a ring) watch each other, each notifying when the other goes silent.
 *
 * <pre>
 * peers: [hb2.example.com:50003]
 * peer_name: hb1          # the name this hbd reports under (default: the machine's name)
 * peer_interval: 10       # seconds between its heartbeats
 * peer_key: BASE64...     # optional: sign them with this host key (the peer's hosts: hb1: key: holds the same)
 * </pre>
 *
 * @param addresses {@code host:port} of each peer's UDP heartbeat port; empty: no peers
 * @param name the name this hbd reports under
 * @param interval seconds between heartbeats
 * @param key the key to sign with, or null
 */
public record PeersConfig(List<String> addresses, String name, double interval, HostKey key) {
    public PeersConfig {
        addresses = List.copyOf(addresses);
    }

    static PeersConfig from(Section root) {
        List<String> addresses = new ArrayList<>();
        for (String a : root.strings("peers")) {
            String problem = addressProblem(a);
            if (problem != null) {
                root.error("peers", problem);
            } else {
                addresses.add(a.strip());
            }
        }
        String name = root.string("peer_name", null);
        if (name != null && HostNames.problem(name) != null) {
            root.error("peer_name", HostNames.problem(name));
        }
        double interval = root.seconds("peer_interval", 10, 1, 3600);
        HostKey key = null;
        String keyText = root.string("peer_key", null);
        if (keyText != null) {
            try {
                key = HostKey.parse(keyText);
            } catch (IllegalArgumentException e) {
                root.error("peer_key", "not a host key: expected 44 characters of base64 (make one with: hbd hostkey "
                        + (name == null ? "NAME" : name) + ")");
            }
        }
        return new PeersConfig(addresses, name == null ? MachineName.local() : name, interval, key);
    }

    /** What is wrong with a {@code host:port} (or {@code [v6]:port}), or null. */
    static String addressProblem(String address) {
        String a = address.strip();
        int colon = a.lastIndexOf(':');
        if (colon <= 0 || colon == a.length() - 1) {
            return "\"" + address + "\" is not host:port, such as hb2.example.com:50003";
        }
        String host = a.substring(0, colon);
        if (host.contains(":") && !(host.startsWith("[") && host.endsWith("]"))) {
            return "\"" + address + "\": write an IPv6 address in brackets, such as [2001:db8::1]:50003";
        }
        try {
            int port = Integer.parseInt(a.substring(colon + 1));
            if (port < 1 || port > 65535) {
                return "\"" + address + "\": the port must be from 1 to 65535";
            }
        } catch (NumberFormatException e) {
            return "\"" + address + "\": the port must be a number";
        }
        return null;
    }

    @Override
    public String toString() {
        return "PeersConfig[" + addresses + ", name=" + name + ", interval=" + interval + ", key="
                + (key == null ? "none" : "set") + "]";
    }
}
