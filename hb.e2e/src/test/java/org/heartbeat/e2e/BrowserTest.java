package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's chromium, headless, driven by Selenium through the system's chromedriver,
 * against the real bin/hbd and hbc_mini.py clients. Hosts appear on /live and one goes overdue when its client stops;
 * its name leads to /plugins/HOST with graphs; /alerts shows its alert, read-only without users. The pages run under their own
 * Content-Security-Policy, and the browser's console must show no violation of it. Saves screenshots of /live and a
 * host's page in target/screenshots, or where {@code -Dheartbeat.screenshots=docs/img} says (the README's images).
 *
 * <p>Without chromium and chromedriver the test is skipped with a message, except in CI (the environment variable
 * {@code CI} set) and under ./test ({@code HEARTBEAT_REQUIRE_BROWSER}), which installs them: there their absence is
 * a failure.
 */
class BrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    private static Optional<Path> find(String... names) {
        for (String name : names) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    static WebDriver browser() {
        Optional<Path> chromium = find("chromium", "chromium-browser");
        Optional<Path> driver = find("chromedriver");
        if (chromium.isEmpty() || driver.isEmpty()) {
            String missing = "the browser tests need chromium and chromedriver on the PATH (Debian: apt-get install "
                    + "chromium chromium-driver; ./test installs them)";
            if (System.getenv("CI") != null || System.getenv("HEARTBEAT_REQUIRE_BROWSER") != null) {
                throw new AssertionError(missing + "; in CI and under ./test they must be there");
            }
            Assumptions.assumeTrue(false, missing);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,860", "--force-prefers-reduced-motion", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // the driver named here, so Selenium Manager never tries to download one
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.get().toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static RunningProcess client(Path dir, Hbd hbd, String name) throws Exception {
        return Clients.miniPython(dir, "-i", "1", "-m", "1", "-b", "-n", name, "-p", String.valueOf(hbd.udpPort),
                "127.0.0.1");
    }

    /** The status cell of a host's row on /live. */
    private static By statusOf(String host) {
        return By.xpath("//tbody[@id='hosts']/tr[th/a[normalize-space()='" + host + "']]/td[1]/span");
    }

    private static void screenshot(WebDriver browser, String file) throws Exception {
        // the README's images are refreshed on request (-Dheartbeat.screenshots=docs/img), not by every test run
        String dir = System.getProperty("heartbeat.screenshots");
        Path target = (dir == null || dir.isBlank() ? Path.of("target/screenshots") : Dist.SOURCE.resolve(dir))
                .resolve(file);
        Files.createDirectories(target.getParent());
        byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(target, png);
        assertThat(png).as("a PNG").startsWith(0x89, 'P', 'N', 'G');
    }

    static List<String> problems(WebDriver browser) {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).map(LogEntry::getMessage)
                // a host's page asks for a metric before it has history: the API's 404 shows in the console
                .filter(m -> !m.contains("/history?") || !m.contains("404"))
                // the pages ask for a session's CSRF token where the server has sessions; without, a 404
                .filter(m -> !m.contains("/api/whoami") || !m.contains("404"))
                .toList();
    }

    @Test
    void hostsAppearGoOverdueShowGraphsAndAlertsAreAcknowledged(@TempDir Path dir) throws Exception {
        WebDriver browser = browser();
        try (Hbd hbd = Hbd.start(dir, "interval: 1\ngrace: 1\nplugin_dir: " + Dist.HOME.resolve("plugins/hbd")
                        + "\n");
                RunningProcess web1 = client(dir, hbd, "web1");
                RunningProcess web2 = client(dir, hbd, "web2")) {
            String root = "http://" + hbd.apiHost + ":" + hbd.httpPort;
            WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(100));

            browser.get(root + "/live");
            assertThat(browser.getTitle()).isEqualTo("Heartbeat: live");
            wait.until(ExpectedConditions.textToBe(statusOf("web1"), "up"));

            // a host appears while the page is open, without a reload, and goes overdue when its client stops
            try (RunningProcess db1 = client(dir, hbd, "db1")) {
                wait.until(ExpectedConditions.textToBe(statusOf("db1"), "up"));
                db1.stop();
            }
            wait.until(ExpectedConditions.textToBe(statusOf("db1"), "overdue"));
            assertThat(browser.findElement(statusOf("db1")).getAttribute("class")).contains("overdue");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("summary"),
                    "3 hosts: 2 up, 1 overdue, 0 unknown; 1 active alerts."));
            // the RTT sparkline is drawn from the hosts' rtt_history_ms
            wait.until(d -> !d.findElement(By.xpath("//tbody[@id='hosts']/tr[th/a[normalize-space()='web1']]"
                    + "//*[local-name()='polyline']")).getAttribute("points").isEmpty());

            // sorting by status puts the overdue host first; the filter keeps only what matches
            browser.findElement(By.cssSelector("th[data-key='status'] button")).click();
            wait.until(d -> d.findElement(By.cssSelector("#hosts tr.row th a")).getText().equals("db1"));
            assertThat(browser.findElement(By.cssSelector("th[data-key='status']")).getAttribute("aria-sort"))
                    .isEqualTo("ascending");
            browser.findElement(By.id("filter-name")).sendKeys("web");
            wait.until(d -> d.findElements(By.cssSelector("#hosts tr.row")).size() == 2);
            browser.findElement(By.id("filter-name")).clear();
            browser.findElement(By.id("filter-name")).sendKeys("\b");
            wait.until(d -> d.findElements(By.cssSelector("#hosts tr.row")).size() == 3);
            screenshot(browser, "live.png");

            // the host's name leads to its page: details and graphs of its plugins' history
            browser.findElement(By.linkText("web1")).click();
            wait.until(ExpectedConditions.urlToBe(root + "/plugins/web1"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("facts"), "up"));
            By cpu = By.xpath("//figure[figcaption[normalize-space()='CPU']]");
            wait.until(d -> !d.findElements(cpu).isEmpty()
                    && !d.findElement(cpu).findElements(By.tagName("canvas")).isEmpty()
                    && d.findElement(cpu).getText().contains("Latest: busy"));
            assertThat(browser.findElements(By.cssSelector("#charts figure"))).extracting(WebElement::getText)
                    .anySatisfy(t -> assertThat(t).startsWith("RTT"))
                    .anySatisfy(t -> assertThat(t).startsWith("Memory"))
                    .anySatisfy(t -> assertThat(t).startsWith("Disk /"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("history"), "boot"));
            assertThat(browser.findElement(By.id("pending")).getText()).isEqualTo("Pending: none.");
            assertThat(browser.findElement(By.id("command-form")).isDisplayed()).as("read-only: no commands")
                    .isFalse();
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("range"))).selectByValue("PT6H");
            wait.until(d -> d.findElement(cpu).getText().contains("Latest: busy"));
            browser.manage().window().setSize(new Dimension(1280, 1300));
            screenshot(browser, "host.png");

            // /alerts: db1's overdue alert; without users the page is read-only (LiveBrowserTest acknowledges one)
            browser.get(root + "/alerts");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("alerts"), "db1"));
            assertThat(browser.findElement(By.id("readonly")).getText())
                    .isEqualTo("No users configured: this dashboard is read-only.");
            assertThat(browser.findElements(By.cssSelector("#alerts button"))).as("no action buttons").isEmpty();
            assertThat(browser.findElement(By.id("actions")).isDisplayed()).isFalse();

            // a phone: no sideways scrolling on any page; dark mode: dark background, light text
            ChromeDriver chrome = (ChromeDriver) browser;
            chrome.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", 390, "height", 844, "deviceScaleFactor", 2, "mobile", true));
            chrome.executeCdpCommand("Emulation.setEmulatedMedia",
                    Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
            for (String page : List.of("/live", "/plugins/web1", "/alerts")) {
                browser.get(root + page);
                wait.until(d -> !d.findElement(By.tagName("main")).getText().contains("Loading"));
                Object widths = chrome.executeScript("const e = document.documentElement;"
                        + "return [e.scrollWidth, e.clientWidth, getComputedStyle(document.body).backgroundColor];");
                assertThat((List<?>) widths).as(page + ": page width, window width, background")
                        .satisfies(w -> assertThat(((Number) w.get(0)).longValue())
                                .isLessThanOrEqualTo(((Number) w.get(1)).longValue()))
                        .satisfies(w -> assertThat(w.get(2)).isEqualTo("rgb(13, 17, 23)"));
            }
            chrome.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());

            // 2,000 more hosts: /live keeps only the rows in view in the page, and scrolling brings the others
            try (DatagramSocket udp = new DatagramSocket()) {
                for (int i = 0; i < 2000; i++) {
                    byte[] d = Datagrams.encode(Heartbeat.of(String.format("zz-%04d", i), 1, System.currentTimeMillis(),
                            3_600_000), null);
                    udp.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), hbd.udpPort));
                    if (i % 200 == 199) {
                        Thread.sleep(20); // a burst the size of the socket's buffer, then let hbd read it
                    }
                }
            }
            await().atMost(WAIT).until(() -> hbd.get("/api/hosts").body().size() == 2003);
            browser.get(root + "/live");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("summary"), "2003 hosts"));
            assertThat(browser.findElements(By.cssSelector("#hosts tr.row"))).as("rows in the page").hasSizeBetween(10,
                    100);
            chrome.executeScript("window.scrollTo(0, document.documentElement.scrollHeight)");
            wait.until(d -> d.findElements(By.xpath("//tbody[@id='hosts']/tr/th/a[normalize-space()='zz-1999']")).size()
                    == 1);
            assertThat(browser.findElements(By.cssSelector("#hosts tr.row"))).hasSizeBetween(10, 100);
            assertThat(browser.findElement(By.id("hosts-table")).getAttribute("aria-rowcount")).isEqualTo("2004");

            assertThat(problems(browser)).as("the browser console: no CSP violation, no script error").isEmpty();
            assertThat(Map.of("web1", web1.isAlive(), "web2", web2.isAlive())).containsValues(true, true);
        } finally {
            browser.quit();
        }
    }
}
