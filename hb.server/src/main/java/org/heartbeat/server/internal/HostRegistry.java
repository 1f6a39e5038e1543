package org.heartbeat.server.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.heartbeat.config.Section;
import org.heartbeat.protocol.ClientMessage;
import org.heartbeat.protocol.Heartbeat;
import org.heartbeat.protocol.HostKey;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The hosts the server tracks, as a service: the receiver records heartbeats here, the API reads here.
 * Restores the state file at start, writes it every {@code saveInterval} seconds, soon after a host
 * changes status, and at shutdown.
 */
@Component(service = HostRegistry.class, configurationPid = ServerSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ServerSettings.class)
public final class HostRegistry {
    /** What the receiver must do with datagrams naming a host. */
    enum KeyRule {
        /** No key configured, open mode: accept signed or not. */
        OPEN,
        /** The host has a key: only datagrams signed with it. */
        KEY,
        /** require_auth is on and the host has no key, or its configuration is not in yet: drop. */
        REFUSE
    }

    private static final long STATUS_SAVE_DELAY_MILLIS = 250;

    private final Logger log;
    private final EventDispatcher events;
    private final HostTable table;
    private final ScheduledExecutorService saver;
    private final Map<String, ConfiguredHost> configured = new ConcurrentHashMap<>();
    private volatile Set<String> expectedHosts;
    private volatile boolean requireAuth;
    private volatile long authWindowMillis;
    private volatile Path pickfile;
    private volatile ScheduledFuture<?> periodicSave;
    private volatile ScheduledFuture<?> soonSave;

    @Activate
    public HostRegistry(ServerSettings settings, @Reference EventDispatcher events,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.events = events;
        this.table = new HostTable(tableSettings(settings), Ticker.SYSTEM, this::onEvent,
                e -> log.error("deadline timer failed", e));
        this.saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hbd-state");
            t.setDaemon(true);
            return t;
        });
        apply(settings);
        restore();
    }

    @Modified
    void modified(ServerSettings settings) {
        table.settings(tableSettings(settings));
        apply(settings);
        log.info("settings updated: interval {} s, grace {} s, max_hosts {}, require_auth {}", settings.interval(),
                settings.grace(), settings.maxHosts(), settings.requireAuth());
    }

    private void apply(ServerSettings settings) {
        this.expectedHosts = Set.of(settings.hosts());
        table.expect(expectedHosts);
        this.requireAuth = settings.requireAuth();
        this.authWindowMillis = ConfiguredHost.secondsToMillis(settings.authWindow());
        Path newPickfile = Section.expandHome(settings.pickfile());
        boolean moved = pickfile != null && !pickfile.equals(newPickfile);
        this.pickfile = newPickfile;
        if (periodicSave != null) {
            periodicSave.cancel(false);
        }
        long every = Math.max(1000, ConfiguredHost.secondsToMillis(settings.saveInterval()));
        periodicSave = saver.scheduleWithFixedDelay(this::save, every, every, TimeUnit.MILLISECONDS);
        if (moved) {
            saveSoon();
        }
    }

    private static HostTable.Settings tableSettings(ServerSettings s) {
        return new HostTable.Settings(ConfiguredHost.secondsToMillis(s.interval()),
                ConfiguredHost.secondsToMillis(s.grace()), s.maxHosts(),
                ConfiguredHost.secondsToMillis(s.forgetAfter()));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addConfiguredHost(ConfiguredHost host) {
        configured.put(host.host().name(), host);
        table.configure(currentConfigured());
    }

    void removeConfiguredHost(ConfiguredHost host) {
        configured.remove(host.host().name(), host);
        table.configure(currentConfigured());
    }

    private Map<String, HostTable.Configured> currentConfigured() {
        Map<String, HostTable.Configured> map = new java.util.HashMap<>();
        configured.forEach((name, c) -> map.put(name, c.host()));
        return map;
    }

    /** How datagrams naming {@code host} must be authenticated. */
    KeyRule keyRule(String host) {
        if (table.keyOf(host) != null) {
            return KeyRule.KEY;
        }
        if (requireAuth || expectedHosts.contains(host) && !table.isConfigured(host)) {
            return KeyRule.REFUSE;
        }
        return KeyRule.OPEN;
    }

    HostKey keyOf(String host) {
        return table.keyOf(host);
    }

    long authWindowMillis() {
        return authWindowMillis;
    }

    HostTable.Outcome heartbeat(Heartbeat hb, InetSocketAddress from, boolean authenticated) {
        return table.heartbeat(hb, from, authenticated);
    }

    HostTable.PluginVerdict acceptPluginMessage(ClientMessage message, boolean authenticated) {
        return table.acceptPluginMessage(message, authenticated);
    }

    /** All hosts, sorted by name. */
    public List<HostSnapshot> hosts() {
        return table.snapshot();
    }

    public Optional<HostSnapshot> host(String name) {
        return table.snapshot(name);
    }

    /** Queues a command for a host; -1 when the host is unknown. */
    public long queueCommand(String host, String command, String argument) {
        long id = table.queueCommand(host, command, argument);
        if (id > 0) {
            saveSoon();
        }
        return id;
    }

    public int size() {
        return table.size();
    }

    private void onEvent(HostEvent event) {
        events.post(event);
        if (event.type() != HostEvent.Type.NEW) {
            saveSoon();
        }
    }

    private void saveSoon() {
        ScheduledFuture<?> pending = soonSave;
        if (pending == null || pending.isDone()) {
            soonSave = saver.schedule(this::save, STATUS_SAVE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void restore() {
        Path file = pickfile;
        try {
            StateFile.Contents contents = StateFile.read(file);
            if (contents == null) {
                log.info("no state file at {}; starting with no hosts", file);
                return;
            }
            table.restore(contents.hosts());
            log.info("restored {} hosts from {} (saved {})", contents.hosts().size(), file, contents.savedAt());
        } catch (StateFile.UnreadableStateException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".unreadable-" + System.currentTimeMillis());
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                log.error("cannot move the unreadable state file aside: {}", moveFailed.toString());
            }
            log.error("{}; moved it to {} and starting with no hosts", e.getMessage(), aside);
        } catch (IOException e) {
            log.error("cannot read state file {}: {}; starting with no hosts", file, e.toString());
        }
    }

    /** Writes the state file now. */
    void save() {
        try {
            StateFile.write(pickfile, table.snapshot(), System.currentTimeMillis());
        } catch (IOException | RuntimeException e) {
            log.error("cannot write state file {}: {}", pickfile, e.toString());
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        saver.shutdown();
        saver.awaitTermination(5, TimeUnit.SECONDS);
        table.close();
        save();
        log.info("saved {} hosts to {}", table.size(), pickfile);
    }
}
