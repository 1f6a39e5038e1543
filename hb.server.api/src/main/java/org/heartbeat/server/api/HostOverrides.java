package org.heartbeat.server.api;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Per-host settings changed at run time (through {@code PUT /api/hosts/NAME/settings}): kept as overrides in a
 * file of their own beside the state file, never by rewriting the operator's configuration file, so they survive
 * a restart and {@code hbd reload}. An override wins over the same key of the host's entry in {@code hosts:}; keys
 * not overridden keep the configuration's value. A host with overrides is treated like a configured host
 * ({@code forget_after} leaves it alone) until they are cleared. A service of {@code hbd}'s core; safe from any
 * thread; {@link #set} and {@link #clear} write the file and apply the configuration before they return.
 */
@ProviderType
public interface HostOverrides {
    /** The keys that may be overridden, named as in the configuration file's {@code hosts:} entries. */
    List<String> KEYS = List.of("interval", "grace", "notify_after", "owner", "depends_on", "tags");

    /**
     * A host's overrides, keyed as {@link #KEYS}: {@code interval} and {@code grace} in seconds (a
     * {@link Number}), {@code notify_after} an {@link Integer}, {@code owner} a {@link String},
     * {@code depends_on} and {@code tags} lists of strings; empty when the host has none.
     */
    Map<String, Object> overrides(String host);

    /** Every host that has overrides, with them, sorted by host name. */
    Map<String, Map<String, Object>> all();

    /**
     * Replaces a host's overrides with these (an empty map clears them). Values follow the rules of the
     * configuration file's {@code hosts:} entries: durations as seconds or text such as {@code "5m"}.
     *
     * @return the overrides now in force, normalised as {@link #overrides} returns them
     * @throws IllegalArgumentException when a key is not one of {@link #KEYS} or a value breaks the configuration
     *         file's rules; the message starts with the key's name and says what is wrong
     * @throws IllegalStateException when the overrides file cannot be written; nothing changed
     */
    Map<String, Object> set(String host, Map<String, ?> settings);

    /**
     * Removes a host's overrides; its settings are the configuration file's again.
     *
     * @return whether it had any
     * @throws IllegalStateException when the overrides file cannot be written; nothing changed
     */
    boolean clear(String host);
}
