package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * README, "Behind a reverse proxy": the real bin/hbd behind a real nginx that serves it under the base path
 * {@code /heartbeat/} of another site, configured as the README shows (the path stripped, {@code X-Forwarded-Prefix}
 * naming it), and headless chromium using it through the proxy only: the login page, the live page with its
 * WebSocket, a host's page, logout; redirects, the session cookie's path, pagination links, the OpenAPI document's
 * server and the runtime console's links all carry the base path.
 */
class ReverseProxyTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    private static Optional<Path> nginx() {
        List<String> dirs = new java.util.ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "/usr/bin")
                .split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/opt/homebrew/bin", "/usr/local/bin"));
        return dirs.stream().map(d -> Path.of(d, "nginx")).filter(Files::isExecutable).findFirst();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** nginx in the foreground on 127.0.0.1:port, everything it writes in dir, hbd under /heartbeat/. */
    private static RunningProcess startNginx(Path dir, int port, int hbdPort) throws Exception {
        Optional<Path> nginx = nginx();
        if (nginx.isEmpty()) {
            String missing = "the reverse proxy test needs nginx (Debian: apt-get install nginx; ./test installs it)";
            if (System.getenv("CI") != null || System.getenv("HEARTBEAT_REQUIRE_BROWSER") != null) {
                throw new AssertionError(missing + "; in CI and under ./test it must be there");
            }
            Assumptions.assumeTrue(false, missing);
        }
        Path root = Files.createDirectories(dir.resolve("nginx"));
        Files.createDirectories(root.resolve("tmp"));
        String conf = """
                daemon off;
                worker_processes 1;
                pid ROOT/nginx.pid;
                error_log ROOT/error.log info;
                events { worker_connections 64; }
                http {
                    access_log ROOT/access.log;
                    client_body_temp_path ROOT/tmp/body;
                    proxy_temp_path ROOT/tmp/proxy;
                    fastcgi_temp_path ROOT/tmp/fastcgi;
                    uwsgi_temp_path ROOT/tmp/uwsgi;
                    scgi_temp_path ROOT/tmp/scgi;
                    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
                    server {
                        listen 127.0.0.1:PORT;
                        location / { return 404 "another site\\n"; }
                        location /heartbeat/ {
                            proxy_pass http://127.0.0.1:HBD/;
                            proxy_http_version 1.1;
                            proxy_set_header Upgrade $http_upgrade;
                            proxy_set_header Connection $connection_upgrade;
                            proxy_set_header Host $http_host;
                            proxy_set_header X-Forwarded-Proto $scheme;
                            proxy_set_header X-Forwarded-Host $http_host;
                            proxy_set_header X-Forwarded-For $remote_addr;
                            proxy_set_header X-Forwarded-Prefix /heartbeat;
                            proxy_read_timeout 1h;
                        }
                    }
                }
                """.replace("ROOT", root.toString()).replace("PORT", Integer.toString(port))
                .replace("HBD", Integer.toString(hbdPort));
        Path file = Files.writeString(root.resolve("nginx.conf"), conf);
        RunningProcess p = RunningProcess.start("nginx", dir, List.of(nginx.get().toString(), "-p", root.toString(),
                "-c", file.toString(), "-e", root.resolve("error.log").toString()));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).body().equals("another site\n"));
        return p;
    }

    @Test
    void theDashboardUnderABasePathOfAnotherSite(@TempDir Path dir) throws Exception {
        String hash = UsersTest.passwordHash(dir, "alice", "s3cret horse");
        int port = freePort();
        WebDriver browser = BrowserTest.browser();
        try (Hbd hbd = Hbd.start(dir, "interval: 1\ngrace: 1\nlisten: 127.0.0.1\ntrusted_proxies: [127.0.0.1]\n"
                + "users:\n  alice:\n    password: " + hash + "\n    admin: true\n");
                RunningProcess nginx = startNginx(dir, port, hbd.httpPort);
                RunningProcess web1 = Clients.miniPython(dir, "-i", "1", "-m", "1", "-b", "-n", "web1", "-p",
                        String.valueOf(hbd.udpPort), "127.0.0.1")) {
            String site = "http://127.0.0.1:" + port;
            String base = site + "/heartbeat";
            WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(50));

            // the site's address of hbd leads to the login page under the base path, and from there to /live
            browser.get(base + "/");
            wait.until(ExpectedConditions.urlToBe(base + "/login?next=%2F"));
            browser.findElement(By.id("user")).sendKeys("alice");
            browser.findElement(By.id("password")).sendKeys("s3cret horse");
            browser.findElement(By.cssSelector("form button")).click();
            wait.until(ExpectedConditions.urlToBe(base + "/live"));
            Cookie session = browser.manage().getCookieNamed("hb_session");
            assertThat(session).isNotNull();
            assertThat(session.getPath()).as("the cookie stays under the base path").isEqualTo("/heartbeat/");

            // live over the WebSocket through the proxy, on the session's cookie
            wait.until(ExpectedConditions.attributeToBe(By.id("conn"), "data-state", "live"));
            By web1Status = By.xpath("//tbody[@id='hosts']/tr[th/a[normalize-space()='web1']]/td[1]/span");
            wait.until(ExpectedConditions.textToBe(web1Status, "up"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "alice (admin)"));

            // the host's page, and its graphs from the history
            browser.findElement(By.linkText("web1")).click();
            wait.until(ExpectedConditions.urlToBe(base + "/plugins/web1"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("facts"), "up"));
            wait.until(d -> d.findElements(By.cssSelector("#charts figure canvas")).size() > 0);

            // logout, and the login page again, under the base path
            browser.findElement(By.cssSelector("#who form.logout button")).click();
            wait.until(ExpectedConditions.urlToBe(base + "/login"));
            browser.get(base + "/alerts");
            wait.until(ExpectedConditions.urlToBe(base + "/login?next=%2Falerts"));
            assertThat(BrowserTest.problems(browser)).as("the browser console").isEmpty();

            // for scripts: pagination links and the API document name the base path too
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("alice:s3cret horse".getBytes());
            HttpResponse<String> events = http.send(HttpRequest.newBuilder(URI.create(base + "/api/events?limit=1"))
                    .header("Authorization", basic).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(events.statusCode()).as(events.body()).isEqualTo(200);
            assertThat(events.headers().firstValue("Link")).hasValueSatisfying(link -> assertThat(link)
                    .startsWith("</heartbeat/api/events?after="));
            String openapi = http.send(HttpRequest.newBuilder(URI.create(base + "/api/openapi.json"))
                    .header("Authorization", basic).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(openapi).at("/servers/0/url")
                    .asText()).isEqualTo("/heartbeat");
            // the runtime's console too: its links, scripts and redirects under the base path
            HttpResponse<String> console = http.send(HttpRequest.newBuilder(URI.create(base + "/system/console"))
                    .header("Authorization", basic).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(console.headers().firstValue("Location")).hasValue("/heartbeat/system/console/bundles");
            HttpResponse<String> bundles = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/system/console/bundles")).header("Authorization", basic).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(bundles.statusCode()).as(bundles.body()).isEqualTo(200);
            assertThat(bundles.body()).contains("appRoot = \"/heartbeat/system/console\"")
                    .contains("href=\"/heartbeat/system/console/components\"")
                    .doesNotContain("href=\"/system/console/");

            // straight to hbd, without the proxy's header, everything is at the root as before
            HttpResponse<String> direct = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + hbd.httpPort + "/live")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(direct.headers().firstValue("Location")).hasValue("/login?next=%2Flive");
        } finally {
            browser.quit();
        }
    }
}
