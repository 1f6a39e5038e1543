package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The benchmark of docs/BENCHMARKS.md, "/live with 10,000 hosts": not a test (its name keeps it out of the build's
 * test runs), run on demand with {@code -Dtest=LiveDashboardBench}. Starts the real bin/hbd, makes 10,000 hosts with
 * heartbeats sent from here, and measures /live in headless chromium with the Performance API: first paint of the
 * rows (median of five loads), how many rows and elements the page holds, how many host updates per second the page
 * takes in while heartbeats arrive at 2,000/s and 10,000/s (frames per second and long tasks meanwhile), and the
 * latency from a heartbeat sent to its row updated in the page (median, p99 and max of 50), idle and under load.
 * Prints one line per figure, prefixed {@code live_bench:}; asserts only that the page kept up at all. With
 * {@code -Dheartbeat.live.soakMinutes=N} it then leaves the page open under 2,000 heartbeats/s for N minutes (its heap
 * after a collection, each minute); with {@code -Dheartbeat.live.owner=true} the page is that of a user who is no
 * admin and owns every host, logged in through the login page.
 */
class LiveDashboardBench {
    /** The hosts besides {@link #FIRST}: 10,000 in all, max_hosts' default. */
    private static final int HOSTS = 9_999;
    private static final String FIRST = "aaa-latency"; // sorted first by name: always in view

    /** Installed before each page load: records the first rows, counts the socket's host updates and the frames. */
    private static final String PROBE = """
            window.hbBench = {firstRow: null, painted: null, messages: 0, hostEvents: 0, frames: 0, longTasks: [],
                              seen: {}};
            new MutationObserver((_, observer) => {
              if (document.querySelector('#hosts tr.row')) {
                hbBench.firstRow = performance.now();
                observer.disconnect();
                requestAnimationFrame(() => setTimeout(() => { hbBench.painted = performance.now(); }));
              }
            }).observe(document, {childList: true, subtree: true});
            const Native = window.WebSocket;
            window.WebSocket = function (url, protocols) {
              const s = new Native(url, protocols);
              s.addEventListener('message', e => {
                hbBench.messages++;
                for (let i = e.data.indexOf('"type":"host"'); i >= 0; i = e.data.indexOf('"type":"host"', i + 1)) {
                  hbBench.hostEvents++;
                }
              });
              return s;
            };
            window.WebSocket.prototype = Native.prototype;
            const frame = () => { hbBench.frames++; requestAnimationFrame(frame); };
            requestAnimationFrame(frame);
            try {
              new PerformanceObserver(list => { for (const e of list.getEntries()) hbBench.longTasks.push(e.duration); })
                .observe({type: 'longtask', buffered: true});
            } catch (e) { /* no long-task timing */ }
            """;

    /** Records when the first row shows the interval of heartbeat i (each heartbeat carries a new interval). */
    private static final String WATCH_INTERVAL = """
            const name = arguments[0];
            const tbody = document.getElementById('hosts');
            new MutationObserver(() => {
              for (const tr of tbody.querySelectorAll('tr.row')) {
                if (tr.querySelector('th a').textContent !== name) continue;
                const m = /^(\\d+) s$/.exec(tr.children[4].textContent);
                if (m && !(m[1] in hbBench.seen)) hbBench.seen[m[1]] = Date.now();
                return;
              }
            }).observe(tbody, {childList: true, subtree: true, characterData: true});
            """;

    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    private static void send(DatagramSocket udp, Hbd hbd, String host, long seq, long intervalMillis)
            throws Exception {
        byte[] d = Datagrams.encode(Heartbeat.of(host, seq, System.currentTimeMillis(), intervalMillis), null);
        udp.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), hbd.udpPort));
    }

    private static String host(int i) {
        return String.format("h-%05d", i);
    }

    private static Object js(WebDriver browser, String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static double number(WebDriver browser, String script) {
        return ((Number) js(browser, script)).doubleValue();
    }

    /** The number of hosts /api/hosts lists, as {@code user} (null: anonymous). */
    private static int hosts(Hbd hbd, String user) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://"
                + hbd.apiHost + ":" + hbd.httpPort + "/api/hosts")).timeout(Duration.ofSeconds(30));
        if (user != null) {
            b.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":"
                    + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        String body = java.net.http.HttpClient.newHttpClient().send(b.build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        com.fasterxml.jackson.databind.JsonNode list = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        return list.isArray() ? list.size() : -1;
    }

    private static final String PASSWORD = "s3cret horse";

    @Test
    void live10000Hosts(@TempDir Path dir) throws Exception {
        // -Dheartbeat.live.owner=true (bench/run: LIVE_OWNER=1): the page of bob, who is no admin and owns every
        // host, so that each row the server pushes goes through the per-user filter
        String viewer = Boolean.getBoolean("heartbeat.live.owner") ? "bob" : null;
        String yaml = "interval: 3600\n";
        if (viewer != null) {
            yaml += "users:\n  bob:\n    password: " + UsersTest.passwordHash(dir, viewer, PASSWORD)
                    + "\ndefault_owner: bob\n";
            System.out.println("live_bench: viewer=bob (no admin; owns every host through default_owner)");
        }
        ChromeDriver browser = (ChromeDriver) BrowserTest.browser();
        try (Hbd hbd = Hbd.start(dir, yaml); DatagramSocket udp = new DatagramSocket()) {
            String root = "http://" + hbd.apiHost + ":" + hbd.httpPort;
            send(udp, hbd, FIRST, 1, 100_000);
            for (int i = 0; i < HOSTS; i++) {
                send(udp, hbd, host(i), 1, 3_600_000);
                if (i % 200 == 199) {
                    Thread.sleep(20); // a burst the size of the socket's buffer, then let hbd read it
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> hosts(hbd, viewer) == HOSTS + 1);
            browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", PROBE));
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(20));
            if (viewer != null) {
                browser.get(root + "/login");
                browser.findElement(By.id("user")).sendKeys(viewer);
                browser.findElement(By.id("password")).sendKeys(PASSWORD);
                browser.findElement(By.cssSelector("form button")).click();
                wait.until(ExpectedConditions.urlToBe(root + "/live"));
            }

            // first paint: navigation start to the rows in the page and the frame after them, five loads
            List<Double> rows = new ArrayList<>();
            List<Double> painted = new ArrayList<>();
            List<Double> fcp = new ArrayList<>();
            for (int run = 0; run < 6; run++) {
                browser.get(root + "/live");
                wait.until(d -> js(d, "return window.hbBench && hbBench.painted") != null);
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("summary"), (HOSTS + 1) + " hosts"));
                if (run == 0) {
                    continue; // the first load fills the browser's and the server's caches
                }
                rows.add(number(browser, "return hbBench.firstRow"));
                painted.add(number(browser, "return hbBench.painted"));
                fcp.add(number(browser, "const p = performance.getEntriesByName('first-contentful-paint')[0];"
                        + " return p ? p.startTime : -1"));
            }
            print("first_paint_ms", "rows in the page", rows);
            print("first_paint_ms", "frame after the rows", painted);
            print("first_paint_ms", "first contentful paint (the empty table)", fcp);
            awaitLive(wait);
            Object sizes = js(browser, "return [document.querySelectorAll('#hosts tr.row').length,"
                    + " document.getElementsByTagName('*').length,"
                    + " performance.memory ? Math.round(performance.memory.usedJSHeapSize / 1e6) : -1]");
            System.out.printf("live_bench: dom rows=%s elements=%s js_heap_mb=%s (of %d hosts)%n",
                    ((List<?>) sizes).get(0), ((List<?>) sizes).get(1), ((List<?>) sizes).get(2), HOSTS + 1);
            assertThat(((Number) ((List<?>) sizes).get(0)).intValue()).isBetween(10, 200);

            js(browser, WATCH_INTERVAL, FIRST);
            latency(browser, udp, hbd, "idle", 0, null);

            // update rate: heartbeats of every host at a given rate for 10 s, counted as the page receives them
            for (int rate : new int[] {2_000, 10_000}) {
                updateRate(browser, udp, hbd, rate);
            }
            Thread load = new Thread(() -> {
                try {
                    sendAt(udp, hbd, 2_000, Duration.ofSeconds(15), 50);
                } catch (Exception e) {
                    throw new IllegalStateException("the load generator failed", e);
                }
            }, "load");
            load.start();
            latency(browser, udp, hbd, "under 2,000 heartbeats/s", 50, load);
            load.join();
            soak(browser, udp, hbd, Integer.getInteger("heartbeat.live.soakMinutes", 0));
        } finally {
            browser.quit();
        }
    }

    /**
     * The page left open under 2,000 heartbeats/s for this many minutes (0: not at all): each minute, after a
     * garbage collection in the page, its JS heap in use, its elements, and the connection's state.
     */
    private static void soak(ChromeDriver browser, DatagramSocket udp, Hbd hbd, int minutes) throws Exception {
        for (int minute = 0; minute <= minutes && minutes > 0; minute++) {
            if (minute > 0) {
                sendAt(udp, hbd, 2_000, Duration.ofMinutes(1), 20_000 + minute * 200L);
            }
            browser.executeCdpCommand("HeapProfiler.collectGarbage", Map.of());
            Map<String, Object> heap = browser.executeCdpCommand("Runtime.getHeapUsage", Map.of());
            Object elements = js(browser, "return document.getElementsByTagName('*').length");
            String state = (String) js(browser, "return document.getElementById('conn').dataset.state");
            System.out.printf(Locale.ROOT, "live_bench: soak minute=%d js_heap_used_mb=%.1f (V8 after a collection; "
                    + "performance.memory: %.0f) elements=%s state=%s host_updates=%.0f%n", minute,
                    ((Number) heap.get("usedSize")).doubleValue() / 1e6,
                    number(browser, "return performance.memory ? performance.memory.usedJSHeapSize / 1e6 : -1"),
                    elements, state, number(browser, "return hbBench.hostEvents"));
        }
    }

    private static void awaitLive(WebDriverWait wait) {
        wait.until(ExpectedConditions.attributeToBe(By.id("conn"), "data-state", "live"));
    }

    /** Sends heartbeats of the 10,000 hosts at {@code rate} per second, in bursts every 10 ms, for this long. */
    private static long sendAt(DatagramSocket udp, Hbd hbd, int rate, Duration duration, long seqBase)
            throws Exception {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long sent = 0;
        int next = 0;
        while (System.nanoTime() < end) {
            long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
            while (sent < due) {
                send(udp, hbd, host(next), seqBase + sent / HOSTS + 2, 3_600_000);
                next = (next + 1) % HOSTS;
                sent++;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return sent;
    }

    private static void updateRate(ChromeDriver browser, DatagramSocket udp, Hbd hbd, int rate) throws Exception {
        js(browser, "hbBench.longTasks = []");
        double events0 = number(browser, "return hbBench.hostEvents");
        double messages0 = number(browser, "return hbBench.messages");
        double frames0 = number(browser, "return hbBench.frames");
        double t0 = number(browser, "return performance.now()");
        long sent = sendAt(udp, hbd, rate, Duration.ofSeconds(10), rate);
        Thread.sleep(500); // the last batch
        double seconds = (number(browser, "return performance.now()") - t0) / 1000;
        double events = number(browser, "return hbBench.hostEvents") - events0;
        double messages = number(browser, "return hbBench.messages") - messages0;
        double frames = number(browser, "return hbBench.frames") - frames0;
        List<?> longTasks = (List<?>) js(browser, "return hbBench.longTasks");
        double longest = longTasks.stream().mapToDouble(x -> ((Number) x).doubleValue()).max().orElse(0);
        double busy = longTasks.stream().mapToDouble(x -> ((Number) x).doubleValue()).sum();
        String state = (String) js(browser, "return document.getElementById('conn').dataset.state");
        System.out.printf(Locale.ROOT, "live_bench: update_rate offered=%d/s sent=%d host_updates_received=%.0f/s "
                + "messages=%.1f/s frames=%.1f/s long_tasks=%d longest=%.0fms long_task_total=%.0fms state=%s%n",
                rate, sent, events / seconds, messages / seconds, frames / seconds, longTasks.size(), longest, busy,
                state);
        assertThat(events).as("host updates reached the page").isPositive();
    }

    /** 50 heartbeats of the first host, each with a new interval, timed until the page's row shows it. */
    private static void latency(ChromeDriver browser, DatagramSocket udp, Hbd hbd, String label, int offset,
            Thread load) throws Exception {
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int interval = 200 + offset + i;
            long sent = System.currentTimeMillis();
            send(udp, hbd, FIRST, 10 + offset + i, interval * 1000L);
            Number seen = (Number) browser.executeAsyncScript("""
                    const [key, done] = arguments;
                    const check = () => key in hbBench.seen ? done(hbBench.seen[key]) : setTimeout(check, 5);
                    check();""", String.valueOf(interval));
            ms.add((double) (seen.longValue() - sent));
            Thread.sleep(150);
        }
        print("latency_ms", "heartbeat sent to row updated, " + label, ms);
        if (load != null) {
            assertThat(load.isAlive()).as("the load ran throughout").isTrue();
        }
    }

    private static void print(String what, String label, List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double median = sorted.get(sorted.size() / 2);
        double p99 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
        System.out.printf(Locale.ROOT, "live_bench: %s runs=%d median=%.0f p99=%.0f min=%.0f max=%.0f (%s)%n", what,
                sorted.size(), median, p99, sorted.get(0), sorted.get(sorted.size() - 1), label);
    }
}
