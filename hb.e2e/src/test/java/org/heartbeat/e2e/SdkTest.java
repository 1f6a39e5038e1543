package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the distribution gives a plugin author and a server extension author: the API jars with their sources and
 * Javadoc in sdk/, and the Javadoc as pages to browse in docs/api/ and docs/server-api/ that need no network
 * (docs/PLUGIN_DEVELOPMENT.md links them).
 */
class SdkTest {
    private static final Path SDK = Dist.HOME.resolve("sdk");
    private static final Path API_DOCS = Dist.HOME.resolve("docs/api");
    private static final Path SERVER_API_DOCS = Dist.HOME.resolve("docs/server-api");

    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    @Test
    void sdkHoldsTheApiJarsWithTheirSourcesAndJavadocOfOneVersion() throws IOException {
        List<String> names;
        try (Stream<Path> files = Files.list(SDK)) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        String version = names.stream().filter(n -> n.matches("hb\\.api-[^-]+(-SNAPSHOT)?\\.jar")).findFirst()
                .orElseThrow().replaceFirst("^hb\\.api-(.*)\\.jar$", "$1");
        assertThat(names).containsExactly("hb.api-" + version + "-javadoc.jar", "hb.api-" + version + "-sources.jar",
                "hb.api-" + version + ".jar", "hb.server.api-" + version + "-javadoc.jar",
                "hb.server.api-" + version + "-sources.jar", "hb.server.api-" + version + ".jar");

        try (ZipFile sources = new ZipFile(SDK.resolve("hb.api-" + version + "-sources.jar").toFile())) {
            assertThat(text(sources, "org/heartbeat/api/Metrics.java")).contains("public static Builder builder()");
            assertThat(sources.getEntry("org/heartbeat/api/MetricSource.java")).isNotNull();
        }
        try (ZipFile javadoc = new ZipFile(SDK.resolve("hb.api-" + version + "-javadoc.jar").toFile())) {
            assertThat(javadoc.getEntry("index.html")).isNotNull();
            assertThat(text(javadoc, "org/heartbeat/api/Metrics.html")).contains("builder()");
        }
        try (ZipFile sources = new ZipFile(SDK.resolve("hb.server.api-" + version + "-sources.jar").toFile())) {
            assertThat(text(sources, "org/heartbeat/server/api/event/HostEventListener.java"))
                    .contains("void hostEvent(HostEvent event)");
        }
    }

    @Test
    void theJavadocIsThereToBrowseAndLinksNothingOutside() throws IOException {
        assertThat(API_DOCS.resolve("index.html")).isRegularFile();
        String metrics = Files.readString(API_DOCS.resolve("org/heartbeat/api/Metrics.html"), StandardCharsets.UTF_8);
        assertThat(metrics).contains("builder()", "number(");
        assertThat(Files.readString(API_DOCS.resolve("org/heartbeat/api/MetricSource.html"))).contains("collect()");
        try (Stream<Path> pages = Files.walk(API_DOCS)) {
            for (Path page : (Iterable<Path>) pages.filter(p -> p.toString().endsWith(".html"))::iterator) {
                assertThat(Files.readString(page, StandardCharsets.UTF_8)).as(page.toString())
                        .doesNotContain("href=\"http://", "href=\"https://", "src=\"http");
            }
        }
        assertThat(Dist.HOME.resolve("docs/PLUGIN_DEVELOPMENT.md")).content().contains("api/index.html");

        assertThat(Files.readString(SERVER_API_DOCS.resolve("org/heartbeat/server/api/event/HostEventListener.html")))
                .contains("resumeAfter()");
        assertThat(Files.readString(SERVER_API_DOCS.resolve("org/heartbeat/server/api/HostDirectory.html")))
                .contains("hosts()");
        try (Stream<Path> pages = Files.walk(SERVER_API_DOCS)) {
            for (Path page : (Iterable<Path>) pages.filter(p -> p.toString().endsWith(".html"))::iterator) {
                assertThat(Files.readString(page, StandardCharsets.UTF_8)).as(page.toString())
                        .doesNotContain("href=\"http://", "href=\"https://", "src=\"http");
            }
        }
    }

    private static String text(ZipFile zip, String entry) throws IOException {
        ZipEntry e = zip.getEntry(entry);
        assertThat(e).as(entry).isNotNull();
        return new String(zip.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
    }
}
