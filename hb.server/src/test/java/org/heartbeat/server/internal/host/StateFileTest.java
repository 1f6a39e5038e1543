package org.heartbeat.server.internal.host;

import org.heartbeat.server.api.HostStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The state file: format, round trip, atomic replacement and refusal of files it cannot use. */
class StateFileTest {
    private static final long SAVED_AT = Instant.parse("2025-11-26T10:15:30.456Z").toEpochMilli();
    private static final String ISO_MILLIS = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
    /** What {@link StateFile} does not keep: it is configuration, or recomputed at restore. */
    private static final String[] NOT_PERSISTED = {"configured", "intervalMillis", "graceMillis", "conflict"};

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("state.json");
    }

    private static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    private static HostSnapshot fullHost() {
        return SnapshotBuilder.host("web1.example.com").status(HostStatus.OVERDUE).configured(true)
                .firstSeen(at("2025-01-02T03:04:05.006Z")).lastSeen(at("2025-11-26T09:00:00.789Z"))
                .interval(10_000).grace(30_000).announcedInterval(15_000)
                .overdueSince(at("2025-11-26T09:00:45.789Z")).rtt(1200, 1100, 987654)
                .address("192.0.2.44", 40404).bootTime(at("2025-10-01T00:00:00.001Z"))
                .lastBoot(at("2025-10-01T00:01:00.002Z")).lastSeq(1_764_115_200_000_123L)
                .maxSeq(1_764_115_200_000_456L).heartbeats(98_765).authenticated(true)
                .conflict("datagrams from a and b").command(7, "set-interval", "30").command(8, "ping", "")
                .nextCommandId(9).commandsDone(6).build();
    }

    private static void write(Path file, List<HostSnapshot> hosts, long savedAt) throws IOException {
        StateFile.write(file, new StateFile.Contents(Instant.ofEpochMilli(savedAt), true, 0, HostSnapshot.saved(hosts)));
    }

    private List<HostSnapshot> readHosts() throws IOException {
        return StateFile.read(file()).hosts().stream().map(HostSnapshot::of).toList();
    }

    private JsonNode writtenJson() throws IOException {
        return new ObjectMapper().readTree(file().toFile());
    }

    @Test
    void roundTripKeepsEveryPersistedField() throws IOException {
        HostSnapshot saved = fullHost();

        write(file(), List.of(saved), SAVED_AT);
        StateFile.Contents contents = StateFile.read(file());

        assertThat(contents.savedAt()).isEqualTo(Instant.ofEpochMilli(SAVED_AT));
        assertThat(contents.hosts().stream().map(HostSnapshot::of).toList()).singleElement().usingRecursiveComparison().ignoringFields(NOT_PERSISTED)
                .isEqualTo(saved);
    }

    @Test
    void roundTripKeepsHostOrderAndEveryStatus() throws IOException {
        List<HostSnapshot> saved = new ArrayList<>();
        for (HostStatus status : HostStatus.values()) {
            saved.add(SnapshotBuilder.host("host-" + status.word()).status(status).build());
        }
        saved.add(SnapshotBuilder.host("v6").address("2001:db8::1", 50003).build());

        write(file(), saved, SAVED_AT);

        assertThat(readHosts()).usingRecursiveFieldByFieldElementComparatorIgnoringFields(
                NOT_PERSISTED).containsExactlyElementsOf(saved);
    }

    @Test
    void hostNeverHeardFromRoundTripsWithoutTimesOrAddress() throws IOException {
        HostSnapshot saved = SnapshotBuilder.host("db1").status(HostStatus.UNKNOWN).build();

        write(file(), List.of(saved), SAVED_AT);

        JsonNode host = writtenJson().path("hosts").get(0);
        assertThat(host.get("first_seen").isNull()).isTrue();
        assertThat(host.get("last_seen").isNull()).isTrue();
        assertThat(host.get("overdue_since").isNull()).isTrue();
        assertThat(host.has("address")).isFalse();
        assertThat(readHosts()).singleElement().usingRecursiveComparison()
                .ignoringFields(NOT_PERSISTED).isEqualTo(saved);
    }

    @Test
    void emptyTableRoundTrips() throws IOException {
        write(file(), List.of(), SAVED_AT);

        assertThat(readHosts()).isEmpty();
    }

    @Test
    void writesTheDocumentedFormat() throws IOException {
        write(file(), List.of(fullHost()), SAVED_AT);

        JsonNode root = writtenJson();
        assertThat(root.path("format").asText()).isEqualTo("heartbeat-state");
        assertThat(root.path("version").isInt()).isTrue();
        assertThat(root.path("version").asInt()).isEqualTo(1);
        assertThat(root.path("saved_at").asText()).isEqualTo("2025-11-26T10:15:30.456Z");
        JsonNode host = root.path("hosts").get(0);
        assertThat(host.path("name").asText()).isEqualTo("web1.example.com");
        assertThat(host.path("status").asText()).isEqualTo("overdue");
        for (String field : List.of("first_seen", "last_seen", "overdue_since", "boot_time", "last_boot")) {
            assertThat(host.path(field).asText()).as(field).matches(ISO_MILLIS);
        }
        assertThat(host.path("first_seen").asText()).isEqualTo("2025-01-02T03:04:05.006Z");
        assertThat(host.path("rtt_us").toString()).isEqualTo("[1200,1100,987654]");
        assertThat(host.path("address").asText()).isEqualTo("192.0.2.44");
        assertThat(host.path("port").asInt()).isEqualTo(40404);
        assertThat(host.path("last_seq").isTextual()).isTrue();
        assertThat(host.path("max_seq").asText()).isEqualTo("1764115200000456");
        assertThat(host.path("commands").toString())
                .isEqualTo("[{\"id\":7,\"name\":\"set-interval\",\"argument\":\"30\"},"
                        + "{\"id\":8,\"name\":\"ping\",\"argument\":\"\"}]");
        assertThat(host.path("next_command_id").asLong()).isEqualTo(9);
        assertThat(host.path("commands_done").asLong()).isEqualTo(6);
    }

    @Test
    void timesOnAWholeSecondStillShowMilliseconds() throws IOException {
        long whole = at("2025-11-26T00:00:00Z");
        write(file(), List.of(SnapshotBuilder.host("web1").lastSeen(whole).build()), whole);

        assertThat(writtenJson().path("saved_at").asText()).isEqualTo("2025-11-26T00:00:00.000Z");
        assertThat(writtenJson().path("hosts").get(0).path("last_seen").asText())
                .isEqualTo("2025-11-26T00:00:00.000Z");
    }

    @Test
    void sequenceNumbersAbove2To63SurviveAsUnsignedStrings() throws IOException {
        HostSnapshot saved = SnapshotBuilder.host("web1").lastSeq(-1L).maxSeq(Long.MIN_VALUE + 5).build();

        write(file(), List.of(saved), SAVED_AT);

        JsonNode host = writtenJson().path("hosts").get(0);
        assertThat(host.path("last_seq").asText()).isEqualTo("18446744073709551615");
        assertThat(host.path("max_seq").asText()).isEqualTo("9223372036854775813");
        HostSnapshot read = readHosts().get(0);
        assertThat(read.lastSeq()).isEqualTo(-1L);
        assertThat(read.maxSeq()).isEqualTo(Long.MIN_VALUE + 5);
    }

    @Test
    void timesFarInTheFutureSurvive() throws IOException {
        long year10000 = at("+10000-01-01T00:00:00.001Z");
        HostSnapshot saved = SnapshotBuilder.host("web1").bootTime(year10000).build();

        write(file(), List.of(saved), SAVED_AT);

        assertThat(readHosts().get(0).bootTimeMillis()).isEqualTo(year10000);
    }

    /**
     * Times before year 1, such as a nonsensical boot_time_ms a client sent, come back as they went in (a
     * year-of-era pattern without the era would turn them into other years).
     */
    @Test
    void timesBeforeYearOneSurvive() throws IOException {
        long longAgo = -100_000_000_000_000L;
        HostSnapshot saved = SnapshotBuilder.host("web1").bootTime(longAgo).build();

        write(file(), List.of(saved), SAVED_AT);

        assertThat(readHosts().get(0).bootTimeMillis()).isEqualTo(longAgo);
    }

    @Test
    void writeReplacesThePreviousFile() throws IOException {
        write(file(), List.of(SnapshotBuilder.host("old").build()), SAVED_AT);

        write(file(), List.of(SnapshotBuilder.host("new").build()), SAVED_AT + 1000);

        StateFile.Contents contents = StateFile.read(file());
        assertThat(contents.hosts()).extracting(SavedHost::name).containsExactly("new");
        assertThat(contents.savedAt()).isEqualTo(Instant.ofEpochMilli(SAVED_AT + 1000));
    }

    @Test
    void writeLeavesNoTemporaryFile() throws IOException {
        write(file(), List.of(fullHost()), SAVED_AT);
        write(file(), List.of(fullHost()), SAVED_AT);

        assertThat(filesIn(dir)).containsExactly("state.json");
    }

    @Test
    void writeCreatesMissingDirectories() throws IOException {
        Path nested = dir.resolve("var/lib/hbd/state.json");

        write(nested, List.of(fullHost()), SAVED_AT);

        assertThat(StateFile.read(nested).hosts()).hasSize(1);
    }

    @Test
    void leftoverCorruptTemporaryFileDoesNotSpoilTheNextWrite() throws IOException {
        Path clean = dir.resolve("clean/state.json");
        write(clean, List.of(fullHost()), SAVED_AT);
        byte[] garbage = new byte[100_000];
        Arrays.fill(garbage, (byte) '}');
        Files.write(dir.resolve("state.json.tmp"), garbage);

        write(file(), List.of(fullHost()), SAVED_AT);

        assertThat(Files.readAllBytes(file())).isEqualTo(Files.readAllBytes(clean));
        assertThat(Files.exists(dir.resolve("state.json.tmp"))).isFalse();
        assertThat(readHosts()).hasSize(1);
    }

    @Test
    void crashMidWriteLeavesThePreviousFileReadable() throws IOException {
        write(file(), List.of(SnapshotBuilder.host("good").build()), SAVED_AT);
        byte[] before = Files.readAllBytes(file());
        Files.writeString(dir.resolve("state.json.tmp"), "{\"format\":\"heartbeat-state\",\"version\":1,\"hos",
                StandardCharsets.UTF_8);

        StateFile.Contents contents = StateFile.read(file());

        assertThat(contents.hosts()).extracting(SavedHost::name).containsExactly("good");
        assertThat(Files.readAllBytes(file())).isEqualTo(before);
    }

    @Test
    void writeThatFailsHalfwayLeavesThePreviousFileIntact() throws IOException {
        write(file(), List.of(SnapshotBuilder.host("good").build()), SAVED_AT);
        byte[] before = Files.readAllBytes(file());
        HostSnapshot broken = SnapshotBuilder.host("broken").status(null).build();

        assertThatThrownBy(() -> write(file(),
                List.of(SnapshotBuilder.host("first").build(), broken), SAVED_AT + 1000))
                .isInstanceOf(NullPointerException.class);

        assertThat(Files.readAllBytes(file())).isEqualTo(before);
        assertThat(readHosts()).extracting(HostSnapshot::name).containsExactly("good");
        write(file(), List.of(SnapshotBuilder.host("next").build()), SAVED_AT + 2000);
        assertThat(readHosts()).extracting(HostSnapshot::name).containsExactly("next");
    }

    @Test
    void missingFileReadsAsNull() throws IOException {
        assertThat(StateFile.read(dir.resolve("nothing-here.json"))).isNull();
    }

    @Test
    void otherVersionIsUnreadable() throws IOException {
        Files.writeString(file(), "{\"format\":\"heartbeat-state\",\"version\":2,\"saved_at\":"
                + "\"2025-11-26T00:00:00.000Z\",\"hosts\":[]}");

        assertUnreadable("version 2");
    }

    @Test
    void fileWithoutVersionIsUnreadable() throws IOException {
        Files.writeString(file(), "{\"format\":\"heartbeat-state\",\"saved_at\":\"2025-11-26T00:00:00.000Z\","
                + "\"hosts\":[]}");

        assertUnreadable("version");
    }

    @Test
    void nonJsonFileIsUnreadable() throws IOException {
        Files.writeString(file(), "hosts:\n  - web1: up\n");

        assertUnreadable("not valid JSON");
    }

    @Test
    void truncatedFileIsUnreadable() throws IOException {
        write(file(), List.of(fullHost()), SAVED_AT);
        byte[] whole = Files.readAllBytes(file());
        Files.write(file(), Arrays.copyOf(whole, whole.length / 2));

        assertUnreadable("not valid JSON");
    }

    @Test
    void emptyFileIsUnreadable() throws IOException {
        Files.write(file(), new byte[0]);

        assertUnreadable("");
    }

    @Test
    void otherJsonIsUnreadable() throws IOException {
        Files.writeString(file(), "{\"format\":\"something-else\",\"version\":1,\"hosts\":[]}");

        assertUnreadable("not a Heartbeat state file");
    }

    @Test
    void hostWithoutANameIsUnreadable() throws IOException {
        Files.writeString(file(), "{\"format\":\"heartbeat-state\",\"version\":1,\"saved_at\":"
                + "\"2025-11-26T00:00:00.000Z\",\"hosts\":[{\"status\":\"up\",\"last_seq\":\"1\"}]}");

        assertUnreadable("without a name");
    }

    @Test
    void hostWithAnUnknownStatusIsUnreadable() throws IOException {
        write(file(), List.of(fullHost()), SAVED_AT);
        Files.writeString(file(), Files.readString(file()).replace("\"overdue\"", "\"asleep\""));

        assertUnreadable("damaged");
    }

    @Test
    void badTimeIsUnreadable() throws IOException {
        write(file(), List.of(fullHost()), SAVED_AT);
        Files.writeString(file(), Files.readString(file()).replace("2025-01-02T03:04:05.006Z", "yesterday"));

        assertUnreadable("damaged");
    }

    private void assertUnreadable(String reason) {
        assertThatThrownBy(() -> StateFile.read(file())).isInstanceOf(StateFile.UnreadableStateException.class)
                .hasMessageContaining(file().toString()).hasMessageContaining(reason);
    }

    private static List<String> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
