package org.heartbeat.server.internal.host;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashMap;
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
import org.heartbeat.protocol.Command;
import org.heartbeat.protocol.Heartbeat;
import org.heartbeat.protocol.HostKey;
import org.heartbeat.server.api.HostCommands;
import org.heartbeat.server.api.HostDirectory;
import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.HostView;
import org.heartbeat.server.api.PendingCommand;
import org.heartbeat.server.api.event.EventQuery;
import org.heartbeat.server.api.event.HostEvent;
import org.heartbeat.server.internal.config.ServerSettings;
import org.heartbeat.server.internal.event.Journal;
import org.heartbeat.server.internal.event.JournalService;
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
 * The hosts the server tracks, as services: the receiver records heartbeats here, everything else reads here
 * ({@link HostDirectory}) or queues commands ({@link HostCommands}). Status changes go to the event journal as they
 * happen; the state file is written every {@code save_interval}, soon after a change, and at shutdown. At start
 * the state file is read and brought up to date with the journal. docs/design/events-and-state.md explains why this
 * order makes a restart after {@code kill -9} neither forget an overdue host nor report it again.
 */
@Component(service = {HostRegistry.class, HostDirectory.class, HostCommands.class},
        configurationPid = ServerSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ServerSettings.class)
public final class HostRegistry implements HostDirectory, HostCommands {
    /** What the receiver must do with datagrams naming a host. */
    public enum KeyRule {
        /** No key configured, open mode: accept signed or not. */
        OPEN,
        /** The host has a key: only datagrams signed with it. */
        KEY,
        /** require_auth is on and the host has no key, or its configuration is not in yet: drop. */
        REFUSE
    }

    private static final long STATUS_SAVE_DELAY_MILLIS = 250;
    private static final long DURABLE_WAIT_MILLIS = 10_000;

    private final Logger log;
    private final Journal journal;
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
    public HostRegistry(ServerSettings settings, @Reference JournalService journal,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.journal = journal.journal();
        this.table = new HostTable(tableSettings(settings), Ticker.SYSTEM, this::onEvent,
                e -> log.error("deadline timer failed", e));
        this.saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hbd-state");
            t.setDaemon(true);
            return t;
        });
        apply(settings);
        restore();
        save(false);
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
        periodicSave = saver.scheduleWithFixedDelay(() -> save(false), every, every, TimeUnit.MILLISECONDS);
        if (moved) {
            saveSoon();
        }
    }

    private static HostTable.Settings tableSettings(ServerSettings s) {
        return new HostTable.Settings(ConfiguredHost.secondsToMillis(s.interval()),
                ConfiguredHost.secondsToMillis(s.grace()), s.maxHosts(),
                ConfiguredHost.secondsToMillis(s.forgetAfter()), ConfiguredHost.secondsToMillis(s.maxInterval()));
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
        Map<String, HostTable.Configured> map = new HashMap<>();
        configured.forEach((name, c) -> map.put(name, c.host()));
        return map;
    }

    /** How datagrams naming {@code host} must be authenticated. */
    public KeyRule keyRule(String host) {
        if (table.keyOf(host) != null) {
            return KeyRule.KEY;
        }
        if (requireAuth || expectedHosts.contains(host) && !table.isConfigured(host)) {
            return KeyRule.REFUSE;
        }
        return KeyRule.OPEN;
    }

    public HostKey keyOf(String host) {
        return table.keyOf(host);
    }

    public long authWindowMillis() {
        return authWindowMillis;
    }

    public HostTable.Outcome heartbeat(Heartbeat hb, InetSocketAddress from, boolean authenticated) {
        return table.heartbeat(hb, from, authenticated);
    }

    public HostTable.PluginVerdict acceptPluginMessage(ClientMessage message, boolean authenticated) {
        return table.acceptPluginMessage(message, authenticated);
    }

    @Override
    public List<HostView> hosts() {
        return table.views();
    }

    @Override
    public Optional<HostView> host(String name) {
        return table.view(name);
    }

    @Override
    public int size() {
        return table.size();
    }

    @Override
    public Map<HostStatus, Integer> counts() {
        return table.counts();
    }

    @Override
    public Optional<PendingCommand> queue(String host, String command, String argument) {
        String arg = argument == null ? "" : argument;
        checkCommand(command, arg);
        Optional<Command> queued = table.queueCommand(host, command, arg);
        queued.ifPresent(c -> {
            log.info("command {} {} queued for {} (id {})", command, arg, host, c.id());
            saveSoon();
        });
        return queued.map(c -> new PendingCommand(c.id(), c.name(), c.argument()));
    }

    static void checkCommand(String command, String argument) {
        new Command(1, command, argument); // the protocol's own rules: name and argument length
        if (command.equals(PING) && !argument.isEmpty()) {
            throw new IllegalArgumentException("ping takes no argument");
        }
        if (command.equals(SET_INTERVAL)) {
            boolean valid = argument.matches("[0-9]{1,5}") && Integer.parseInt(argument) >= 1
                    && Integer.parseInt(argument) <= 86_400;
            if (!valid) {
                throw new IllegalArgumentException("set-interval takes a whole number of seconds from 1 to 86400, got \""
                        + argument + "\"");
            }
        }
    }

    @Override
    public List<PendingCommand> pending(String host) {
        return table.pendingCommands(host).stream().map(c -> new PendingCommand(c.id(), c.name(), c.argument()))
                .toList();
    }

    @Override
    public boolean forget(String host, String by) {
        if (expectedHosts.contains(host)) {
            throw new IllegalStateException(host + " is in the configuration file's hosts:; remove it there and run"
                    + " hbd reload to forget it");
        }
        // a host configured only by its settings overrides: drop that too, or a later configure() brings it back
        configured.remove(host);
        table.configure(currentConfigured());
        boolean forgotten = table.forget(host, "by " + (by == null || by.isBlank() ? "request" : by));
        if (forgotten) {
            log.info("{} forgotten by {}", host, by);
            saveSoon();
        }
        return forgotten;
    }

    private HostEvent onEvent(HostEvent.Builder event) {
        HostEvent e = journal.append(event);
        if (e.type() != HostEvent.Type.NEW) {
            saveSoon();
        }
        return e;
    }

    private void saveSoon() {
        ScheduledFuture<?> pending = soonSave;
        if (pending == null || pending.isDone()) {
            soonSave = saver.schedule(() -> save(false), STATUS_SAVE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void restore() {
        Path file = pickfile;
        StateFile.Contents contents;
        try {
            contents = StateFile.read(file);
        } catch (StateFile.UnreadableStateException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".unreadable-" + System.currentTimeMillis());
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                log.error("cannot move the unreadable state file aside: {}", moveFailed.toString());
            }
            log.error("{}; moved it to {} and starting with no hosts", e.getMessage(), aside);
            contents = null;
        } catch (IOException e) {
            log.error("cannot read state file {}: {}; starting with no hosts", file, e.toString());
            contents = null;
        }
        List<SavedHost> hosts = contents == null ? List.of() : contents.hosts();
        List<HostEvent> later = contents == null ? List.of() : eventsAfter(contents.journalId());
        boolean unclean = contents != null && !contents.cleanStop();
        table.restore(StateReplay.apply(hosts, later), unclean);
        if (contents == null) {
            log.info("no state file at {}; starting with no hosts", file);
        } else {
            log.info("restored {} hosts from {} (saved {}{}){}", table.size(), file, contents.savedAt(),
                    later.isEmpty() ? "" : ", brought up to date with " + later.size() + " journaled events",
                    unclean ? "; hbd had stopped without saving, so signed datagrams are accepted only if sent "
                            + "after now until each host's first one" : "");
        }
    }

    private List<HostEvent> eventsAfter(long id) {
        List<HostEvent> out = new java.util.ArrayList<>();
        long after = id;
        while (true) {
            List<HostEvent> page = journal.read(EventQuery.builder().after(after).limit(EventQuery.MAX_LIMIT).build());
            out.addAll(page);
            if (page.size() < EventQuery.MAX_LIMIT) {
                return out;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    /**
     * Writes the state file now. The journal's last id is read before the hosts are copied (events after it are
     * replayed at start), and every event the copy may reflect is made durable before the file is written, so the
     * file never shows a change whose event could be lost.
     */
    void save(boolean cleanStop) {
        try {
            long journalId = journal.lastId();
            List<SavedHost> hosts = table.saved();
            if (!journal.awaitDurable(journal.lastId(), DURABLE_WAIT_MILLIS)) {
                log.warn("the event journal is slow to write; saving the state file anyway");
            }
            StateFile.write(pickfile, new StateFile.Contents(Instant.now(), cleanStop, journalId, hosts));
        } catch (IOException | RuntimeException e) {
            log.error("cannot write state file {}: {}", pickfile, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        saver.shutdown();
        saver.awaitTermination(5, TimeUnit.SECONDS);
        table.close();
        save(true);
        log.info("saved {} hosts to {}", table.size(), pickfile);
    }
}
