package org.heartbeat.server.history.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.heartbeat.server.history.internal.HistoryStore.Limits;
import org.heartbeat.server.history.internal.HistoryStore.Outcome;
import org.heartbeat.server.history.internal.HistoryStore.Point;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryStoreTest {
    private static final long T0 = 1_764_115_200_000L; // 2025-11-26T00:00:00Z, a multiple of every step used
    private static final long MINUTE = 60_000;

    @TempDir
    Path dir;

    private HistoryStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aSeriesComesBackInTimeOrderWithinItsBoundsAndApartFromOthers() {
        store = HistoryStore.inMemory();
        for (int i = 9; i >= 0; i--) {
            store.append("web1", "cpu_monitor", "/cpu_percent", T0 + i * 1000, i);
            store.append("web1", "cpu_monitor", "/load_1", T0 + i * 1000, 100 + i);
            store.append("web10", "cpu_monitor", "/cpu_percent", T0 + i * 1000, 200 + i);
        }
        List<Point> points = store.query("web1", "cpu_monitor", "/cpu_percent", T0 + 2000, T0 + 5000, 100);
        assertThat(points).extracting(Point::timeMillis, Point::value, Point::reduced).containsExactly(
                tuple(T0 + 2000, 2.0, false), tuple(T0 + 3000, 3.0, false), tuple(T0 + 4000, 4.0, false),
                tuple(T0 + 5000, 5.0, false));
        assertThat(store.query("web1", "cpu_monitor", "/cpu_percent", T0, T0 + 9000, 3)).hasSize(3);
        assertThat(store.query("web1", "cpu_monitor", "/nothing", T0, T0 + 9000, 10)).isNull();
        assertThat(store.query("web1", "cpu_monitor", "/cpu_percent", T0 + 20_000, T0 + 30_000, 10)).isEmpty();
        assertThat(store.query("web1", "cpu_monitor", "/cpu_percent", T0 + 5000, T0 + 4999, 10))
                .as("a range that ends before it starts").isEmpty();
        assertThat(store.metrics("web1", "cpu_monitor")).containsExactly("/cpu_percent", "/load_1");
    }

    @Test
    void valuesAndLatestSamplesSurviveAReopen() throws IOException {
        Path file = dir.resolve("sub/history.db");
        store = HistoryStore.open(file);
        store.append("web1", "memory_monitor", "/percent", T0, 41.5);
        store.putLatest("web1", "memory_monitor", new byte[] {1, 2, 3});
        store.close();

        store = HistoryStore.open(file);
        assertThat(store.query("web1", "memory_monitor", "/percent", T0, T0, 10)).extracting(Point::value)
                .containsExactly(41.5);
        assertThat(store.latest()).containsOnlyKeys("web1");
        assertThat(store.latest().get("web1").get("memory_monitor")).containsExactly(1, 2, 3);
    }

    @Test
    void aFileInUseIsRefusedWithItsName() throws IOException {
        Path file = dir.resolve("history.db");
        store = HistoryStore.open(file);
        assertThatThrownBy(() -> HistoryStore.open(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("in use");
    }

    @Test
    void samplesOlderThanTheRawPeriodBecomeOnePointPerStep() {
        store = HistoryStore.inMemory();
        // 5-minute steps; samples every minute for 20 minutes
        for (int i = 0; i < 20; i++) {
            store.append("web1", "cpu_monitor", "/cpu_percent", T0 + i * MINUTE, i);
        }
        // keep samples of the last 12 minutes raw: minutes 0-9 fall in whole steps before the cutoff
        long cutoff = T0 + 12 * MINUTE;
        long changed = store.reduce(cutoff, T0 - 1, 5 * MINUTE);
        assertThat(changed).isEqualTo(10);
        List<Point> points = store.query("web1", "cpu_monitor", "/cpu_percent", T0, T0 + 30 * MINUTE, 100);
        assertThat(points).hasSize(2 + 10);
        assertThat(points.get(0)).isEqualTo(new Point(T0, 2.0, 0, 4, 5, true));
        assertThat(points.get(1)).isEqualTo(new Point(T0 + 5 * MINUTE, 7.0, 5, 9, 5, true));
        assertThat(points.subList(2, 12)).allMatch(p -> !p.reduced())
                .extracting(Point::value).containsExactly(10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0);

        // a late sample for a reduced step is folded into it at the next reduction
        store.append("web1", "cpu_monitor", "/cpu_percent", T0 + 30_000, 100);
        store.reduce(cutoff, T0 - 1, 5 * MINUTE);
        Point first = store.query("web1", "cpu_monitor", "/cpu_percent", T0, T0, 1).get(0);
        assertThat(first.count()).isEqualTo(6);
        assertThat(first.value()).isEqualTo((0 + 1 + 2 + 3 + 4 + 100) / 6.0);
        assertThat(first.max()).isEqualTo(100);
    }

    @Test
    void pastTheRetentionEverythingGoesAndEmptySeriesFreeTheirIds() {
        store = HistoryStore.inMemory();
        store.append("old", "cpu_monitor", "/cpu_percent", T0, 1);
        store.append("old", "cpu_monitor", "/load_1", T0 + 10 * MINUTE, 1);
        store.append("new", "cpu_monitor", "/cpu_percent", T0 + 60 * MINUTE, 1);
        store.reduce(T0 + 30 * MINUTE, T0 + 30 * MINUTE, 5 * MINUTE);
        assertThat(store.query("old", "cpu_monitor", "/cpu_percent", 0, Long.MAX_VALUE >> 22, 10)).isNull();
        assertThat(store.query("new", "cpu_monitor", "/cpu_percent", 0, T0 + 61 * MINUTE, 10)).hasSize(1);
        assertThat(store.counts()).containsEntry("series", 1L).containsEntry("raw_points", 1L)
                .containsEntry("reduced_points", 0L);

        store.append("other", "disk_monitor", "/partitions/~1/percent", T0 + 61 * MINUTE, 7);
        store.append("third", "disk_monitor", "/partitions/~1/percent", T0 + 61 * MINUTE, 8);
        assertThat(store.counts()).containsEntry("series", 3L);
        assertThat(store.query("other", "disk_monitor", "/partitions/~1/percent", 0, T0 + 62 * MINUTE, 10))
                .extracting(Point::value).containsExactly(7.0);
        assertThat(store.query("third", "disk_monitor", "/partitions/~1/percent", 0, T0 + 62 * MINUTE, 10))
                .extracting(Point::value).containsExactly(8.0);
    }

    @Test
    void aPluginGetsNoMoreSeriesThanItsLimitAndKeepsRecordingThoseItHas() {
        store = HistoryStore.inMemory();
        store.limits(new Limits(2, Long.MAX_VALUE));
        assertThat(store.append("web1", "disk_monitor", "/a", T0, 1)).isEqualTo(Outcome.RECORDED);
        assertThat(store.append("web1", "disk_monitor", "/b", T0, 1)).isEqualTo(Outcome.RECORDED);
        assertThat(store.append("web1", "disk_monitor", "/c", T0, 1)).isEqualTo(Outcome.METRICS_PER_PLUGIN);
        assertThat(store.append("web1", "disk_monitor", "/a", T0 + 1, 2)).isEqualTo(Outcome.RECORDED);
        assertThat(store.append("web1", "cpu_monitor", "/c", T0, 1)).as("another plugin").isEqualTo(Outcome.RECORDED);
        assertThat(store.append("web2", "disk_monitor", "/c", T0, 1)).as("another host").isEqualTo(Outcome.RECORDED);
        assertThat(store.metrics("web1", "disk_monitor")).containsExactly("/a", "/b");
        assertThat(store.query("web1", "disk_monitor", "/a", T0, T0 + 1, 10)).hasSize(2);

        store.reduce(T0, T0 + 1, MINUTE); // /b empties out and makes room
        assertThat(store.append("web1", "disk_monitor", "/c", T0 + 2, 3)).isEqualTo(Outcome.RECORDED);
    }

    @Test
    void seriesAPluginHadBeforeAReopenCountAgainstItsLimit() throws IOException {
        Path file = dir.resolve("history.db");
        store = HistoryStore.open(file);
        store.append("web1", "disk_monitor", "/a", T0, 1);
        store.append("web1", "disk_monitor", "/b", T0, 1);
        store.close();

        store = HistoryStore.open(file);
        store.limits(new Limits(2, Long.MAX_VALUE));
        assertThat(store.append("web1", "disk_monitor", "/c", T0, 1)).isEqualTo(Outcome.METRICS_PER_PLUGIN);
        assertThat(store.append("web1", "disk_monitor", "/b", T0 + 1, 1)).isEqualTo(Outcome.RECORDED);
    }

    @Test
    void pastItsSizeTheFileTakesNoNewSeriesPast110PercentNoPointsAndOnceTheRetentionFreedSpaceBoth()
            throws IOException {
        long limit = 1024 * 1024;
        store = HistoryStore.open(dir.resolve("history.db"));
        store.retentionMillis(0);
        store.limits(new Limits(1_000_000, limit));
        int series = 0;
        while (store.usedOnDisk() <= limit) {
            assertThat(series).as("the file grows").isLessThan(200_000);
            for (int i = 0; i < 100; i++, series++) {
                assertThat(store.append("web1", "p" + series / 1000, "/m" + series % 1000, T0, series))
                        .isEqualTo(Outcome.RECORDED);
            }
            store.commit();
            store.measure();
        }
        assertThat(store.append("web1", "new", "/m", T0, 1)).isEqualTo(Outcome.SIZE_NEW_SERIES);
        assertThat(store.append("web1", "p0", "/m0", T0 + 1, 1)).as("an existing series").isEqualTo(Outcome.RECORDED);

        long t = T0 + 1;
        while (store.sizeOnDisk() <= limit / 10 * 11) {
            assertThat(t).as("the file grows").isLessThan(T0 + 10_000_000);
            for (int i = 0; i < 1000; i++) {
                assertThat(store.append("web1", "p0", "/m" + i, ++t, i)).isEqualTo(Outcome.RECORDED);
            }
            store.commit();
            store.measure();
        }
        assertThat(store.append("web1", "p0", "/m0", ++t, 1)).isEqualTo(Outcome.SIZE_POINTS);
        assertThat(store.append("web1", "new", "/m", t, 1)).isEqualTo(Outcome.SIZE_POINTS);

        store.reduce(t + 1, t + 1, MINUTE);
        for (int i = 0; i < 10; i++) { // MVStore frees space a few versions after it held its last live data
            store.putLatest("web1", "p0", new byte[] {(byte) i});
            store.commit();
        }
        store.measure();
        assertThat(store.usedOnDisk()).as("the retention freed the space").isLessThan(limit / 2);
        assertThat(store.append("web1", "new", "/m", t + 1, 1)).isEqualTo(Outcome.RECORDED);
    }

    @Test
    void forgettingAHostTakesItsSeriesAndLatestOnly() {
        store = HistoryStore.inMemory();
        store.append("web1", "cpu_monitor", "/cpu_percent", T0, 1);
        store.append("web10", "cpu_monitor", "/cpu_percent", T0, 2);
        store.putLatest("web1", "cpu_monitor", new byte[] {1});
        store.putLatest("web10", "cpu_monitor", new byte[] {2});
        store.forgetHost("web1");
        assertThat(store.query("web1", "cpu_monitor", "/cpu_percent", 0, T0, 10)).isNull();
        assertThat(store.query("web10", "cpu_monitor", "/cpu_percent", 0, T0, 10)).hasSize(1);
        assertThat(store.latest()).containsOnlyKeys("web10");
    }
}
