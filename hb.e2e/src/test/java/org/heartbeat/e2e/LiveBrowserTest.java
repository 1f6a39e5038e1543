package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages on their WebSocket, in headless chromium against the real bin/hbd: without users the dashboard is
 * read-only and says so, a new host reaches an open /live through the socket (the latency printed), and after hbd
 * restarts on the same ports the page reconnects by itself and keeps receiving. With a user: the login page, the
 * user's name and logout button, an alert acknowledged from /alerts (the page sends the CSRF token), an
 * unauthenticated WebSocket refused and a cross-origin POST with the session cookie refused.
 *
 * <p>Hosts are made by sending heartbeats from the test, so that the moment of the first one is known. Skipped
 * without chromium and chromedriver as {@link BrowserTest} is.
 */
class LiveBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String READ_ONLY = "No users configured: this dashboard is read-only.";

    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    /** Sends one heartbeat of {@code host} with this interval; answers the wall-clock time just before sending. */
    static long heartbeat(Hbd hbd, String host, long seq, Duration interval) throws Exception {
        byte[] d = Datagrams.encode(Heartbeat.of(host, seq, System.currentTimeMillis(), interval.toMillis()), null);
        try (DatagramSocket udp = new DatagramSocket()) {
            long sent = System.currentTimeMillis();
            udp.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), hbd.udpPort));
            return sent;
        }
    }

    /**
     * Records in the page (window.hbSeen[name], Date.now()) when a row of /live first names {@code host}: the moment
     * the browser drew it, without Selenium's polling in the measurement.
     */
    static void watchFor(WebDriver browser, String host) {
        ((JavascriptExecutor) browser).executeScript("""
                const name = arguments[0];
                window.hbSeen = window.hbSeen || {};
                const tbody = document.getElementById('hosts');
                const check = () => {
                  if (window.hbSeen[name]) return;
                  for (const a of tbody.querySelectorAll('tr.row th a')) {
                    if (a.textContent === name) { window.hbSeen[name] = Date.now(); return; }
                  }
                };
                new MutationObserver(check).observe(tbody, {childList: true, subtree: true, characterData: true});
                check();""", host);
    }

    static long seen(WebDriver browser, String host) {
        WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(20));
        return wait.until(d -> (Number) ((JavascriptExecutor) d).executeScript(
                "return window.hbSeen && window.hbSeen[arguments[0]] || null", host)).longValue();
    }

    private static By statusOf(String host) {
        return By.xpath("//tbody[@id='hosts']/tr[th/a[normalize-space()='" + host + "']]/td[1]/span");
    }

    private static void awaitConnection(WebDriver browser, String state, Duration within) {
        new WebDriverWait(browser, within, Duration.ofMillis(50)).until(ExpectedConditions.attributeToBe(By.id("conn"),
                "data-state", state));
    }

    @Test
    void withoutUsersReadOnlyLiveOverWebSocketAndReconnectsAfterRestart(@TempDir Path dir) throws Exception {
        WebDriver browser = BrowserTest.browser();
        Hbd hbd = Hbd.start(dir, "interval: 1\ngrace: 1\n");
        try {
            String root = "http://" + hbd.apiHost + ":" + hbd.httpPort;
            WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(50));
            heartbeat(hbd, "gone1", 1, Duration.ofSeconds(1)); // overdue two seconds later: an alert

            browser.get(root + "/live");
            awaitConnection(browser, "live", WAIT);
            assertThat(browser.findElement(By.id("conn")).getText()).isEqualTo("live");
            assertThat(browser.findElement(By.id("readonly")).getText()).isEqualTo(READ_ONLY);
            assertThat(browser.findElement(By.id("who")).getText()).isEmpty();
            wait.until(ExpectedConditions.textToBe(statusOf("gone1"), "overdue"));

            // a new host appears without a reload, pushed: measured from just before its first heartbeat was sent
            watchFor(browser, "new1");
            long sent = heartbeat(hbd, "new1", 1, Duration.ofHours(1));
            long latency = seen(browser, "new1") - sent;
            System.out.printf("LiveBrowserTest: first heartbeat to row on /live: %d ms%n", latency);
            assertThat(latency).as("ms from heartbeat to the row in the page").isLessThan(1000);
            assertThat(browser.findElement(By.id("conn")).getAttribute("data-state")).isEqualTo("live");

            // /alerts: the alert, and no way to act on it
            browser.get(root + "/alerts");
            awaitConnection(browser, "live", WAIT);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("alerts"), "gone1"));
            assertThat(browser.findElement(By.id("readonly")).getText()).isEqualTo(READ_ONLY);
            assertThat(browser.findElements(By.cssSelector("#alerts button, #silences button"))).isEmpty();
            assertThat(browser.findElement(By.id("actions")).isDisplayed()).as("duration and comment").isFalse();

            // the host's page: its details pushed too (its poll waits 10 s while the socket is up)
            browser.get(root + "/plugins/new1");
            awaitConnection(browser, "live", WAIT);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("facts"), "3600 s"));
            heartbeat(hbd, "new1", 2, Duration.ofSeconds(7200));
            new WebDriverWait(browser, Duration.ofSeconds(3), Duration.ofMillis(50)).until(
                    ExpectedConditions.textToBePresentInElementLocated(By.id("facts"), "7200 s"));
            assertThat(BrowserTest.problems(browser)).as("the browser console before the restart").isEmpty();

            // hbd stops and starts again on the same ports: the open page reconnects by itself
            browser.get(root + "/live");
            awaitConnection(browser, "live", WAIT);
            ((JavascriptExecutor) browser).executeScript("window.hbSamePage = true");
            hbd.pinPorts();
            hbd.close();
            awaitConnection(browser, "polling", WAIT);
            hbd = Hbd.startWith(dir, hbd.config);
            long restarted = System.nanoTime();
            awaitConnection(browser, "live", Duration.ofSeconds(30));
            System.out.printf("LiveBrowserTest: page live again %d ms after hbd was ready%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
            watchFor(browser, "after1");
            sent = heartbeat(hbd, "after1", 1, Duration.ofHours(1));
            latency = seen(browser, "after1") - sent;
            System.out.printf("LiveBrowserTest: after the restart, heartbeat to row: %d ms%n", latency);
            assertThat(latency).isLessThan(1000);
            assertThat(((JavascriptExecutor) browser).executeScript("return window.hbSamePage === true"))
                    .as("no reload").isEqualTo(true);
            // hosts known before the restart are still there (unknown until their next heartbeat: not reported down)
            assertThat(browser.findElements(statusOf("new1"))).as("state kept over the restart").hasSize(1);
        } finally {
            browser.quit();
            hbd.close();
        }
    }

    @Test
    void withAUserLoginAcknowledgeAndRefusals(@TempDir Path dir) throws Exception {
        String hash = UsersTest.passwordHash(dir, "alice", "s3cret horse");

        WebDriver browser = BrowserTest.browser();
        try (Hbd hbd = Hbd.start(dir, "interval: 1\ngrace: 1\nusers:\n  alice:\n    password: " + hash
                + "\n    admin: true\n")) {
            String root = "http://" + hbd.apiHost + ":" + hbd.httpPort;
            WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(50));
            heartbeat(hbd, "db1", 1, Duration.ofSeconds(1)); // overdue two seconds later: an alert to acknowledge

            // without a session the page sends the browser to the login page, which leads back to /live
            browser.get(root + "/live");
            wait.until(ExpectedConditions.urlContains("/login?next=%2Flive"));
            browser.findElement(By.id("user")).sendKeys("alice");
            browser.findElement(By.id("password")).sendKeys("s3cret horse");
            browser.findElement(By.cssSelector("form button, form input[type=submit]")).click();
            wait.until(ExpectedConditions.urlToBe(root + "/live"));
            awaitConnection(browser, "live", WAIT); // the WebSocket on the session's cookie
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "alice (admin)"));
            assertThat(browser.findElement(By.id("readonly")).isDisplayed()).isFalse();
            wait.until(ExpectedConditions.textToBe(statusOf("db1"), "overdue"));

            // /alerts: acknowledged from the page, which sends the session's CSRF token
            browser.get(root + "/alerts");
            By ack = By.cssSelector("button[aria-label='Acknowledge db1/overdue']");
            wait.until(ExpectedConditions.elementToBeClickable(ack)).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("outcome"),
                    "Acknowledge db1/overdue: done."));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("alerts"), "acknowledged by alice"));
            assertThat(browser.findElements(ack)).as("no button to acknowledge it again").isEmpty();
            hbd.process.awaitLine("user=alice address=127.0.0.1 action=acknowledge", Duration.ofSeconds(10));

            // a command from the host's page: queued for db1's client (overdue, so it stays pending), and audited
            browser.get(root + "/plugins/db1");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("command-form")));
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("command")))
                    .selectByValue("set-interval");
            browser.findElement(By.id("argument")).sendKeys("30");
            browser.findElement(By.id("queue")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("command-outcome"),
                    "Queue set-interval 30 for db1: queued (command "));
            wait.until(ExpectedConditions.textToBe(By.id("pending"), "Pending: set-interval 30."));
            hbd.process.awaitLine("user=alice address=127.0.0.1 action=command target=db1", Duration.ofSeconds(10));
            // the page fits a phone, the form included, once it has followed the new width: no sideways scrolling
            org.openqa.selenium.chrome.ChromeDriver chrome = (org.openqa.selenium.chrome.ChromeDriver) browser;
            chrome.executeCdpCommand("Emulation.setDeviceMetricsOverride", java.util.Map.of("width", 390, "height",
                    844, "deviceScaleFactor", 2, "mobile", true));
            wait.until(d -> (Boolean) chrome.executeScript("const e = document.documentElement;"
                    + "return e.scrollWidth <= e.clientWidth && e.clientWidth <= 400;"));
            assertThat(browser.findElement(By.id("queue")).getRect().getX()
                    + browser.findElement(By.id("queue")).getRect().getWidth()).isLessThanOrEqualTo(390);
            chrome.executeCdpCommand("Emulation.clearDeviceMetricsOverride", java.util.Map.of());

            // a WebSocket without credentials is refused at the handshake
            URI ws = URI.create("ws://" + hbd.apiHost + ":" + hbd.httpPort + "/ws");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> http.newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() {
            }).join()).isInstanceOf(CompletionException.class).cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                            .isIn(401, 303));

            // another site's page posting with the visitor's session cookie (and even the token) is refused
            Cookie session = browser.manage().getCookieNamed("hb_session");
            assertThat(session).isNotNull();
            String csrf = (String) ((JavascriptExecutor) browser).executeAsyncScript(
                    "const done = arguments[0]; HB.whoami().then(me => done(me.csrf));");
            HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(URI.create(root + "/api/alerts/ack"))
                    .header("Cookie", "hb_session=" + session.getValue()).header("Origin", "http://evil.example")
                    .header("X-CSRF-Token", csrf).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"host\": \"db1\", \"id\": \"db1/overdue\"}"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(403);

            // logout: the button posts the token; afterwards the pages need a login again
            browser.findElement(By.cssSelector("#who form.logout button")).click();
            wait.until(ExpectedConditions.urlContains("/login"));
            browser.get(root + "/live");
            wait.until(ExpectedConditions.urlContains("/login?next=%2Flive"));
            assertThat(BrowserTest.problems(browser)).as("the browser console").isEmpty();
        } finally {
            browser.quit();
        }
    }
}
