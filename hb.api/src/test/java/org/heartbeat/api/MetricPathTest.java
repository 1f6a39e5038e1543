package org.heartbeat.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricPathTest {

    @Test
    void theEmptyPointerIsTheRoot() {
        assertThat(MetricPath.parse("")).isSameAs(MetricPath.ROOT);
        assertThat(MetricPath.ROOT.isRoot()).isTrue();
        assertThat(MetricPath.ROOT.segments()).isEmpty();
        assertThat(MetricPath.ROOT.toString()).isEmpty();
        assertThat(MetricPath.of()).isEqualTo(MetricPath.ROOT);
    }

    /** RFC 6901, section 5: the pointers into its example document and the keys they name. */
    @Test
    void theExamplesOfRfc6901ParseToTheirKeysAndFormatBack() {
        Map<String, List<String>> examples = Map.ofEntries(
                Map.entry("/foo", List.of("foo")),
                Map.entry("/foo/0", List.of("foo", "0")),
                Map.entry("/", List.of("")),
                Map.entry("/a~1b", List.of("a/b")),
                Map.entry("/c%d", List.of("c%d")),
                Map.entry("/e^f", List.of("e^f")),
                Map.entry("/g|h", List.of("g|h")),
                Map.entry("/i\\j", List.of("i\\j")),
                Map.entry("/k\"l", List.of("k\"l")),
                Map.entry("/ ", List.of(" ")),
                Map.entry("/m~0n", List.of("m~n")));

        examples.forEach((pointer, segments) -> {
            MetricPath parsed = MetricPath.parse(pointer);
            assertThat(parsed.segments()).as(pointer).isEqualTo(segments);
            assertThat(parsed.toString()).as(pointer).isEqualTo(pointer);
            assertThat(MetricPath.of(segments.toArray(String[]::new))).as(pointer).isEqualTo(parsed);
            assertThat(parsed.isRoot()).isFalse();
        });
    }

    /** The RFC's document, less its "" key (a sample has no empty keys): every pointer finds its value. */
    @Test
    void theRfc6901PointersFindTheirValuesInATree() {
        Metrics doc = Metrics.of(Map.ofEntries(Map.entry("foo", List.of("bar", "baz")), Map.entry("a/b", 1),
                Map.entry("c%d", 2), Map.entry("e^f", 3), Map.entry("g|h", 4), Map.entry("i\\j", 5),
                Map.entry("k\"l", 6), Map.entry(" ", 7), Map.entry("m~n", 8)));

        assertThat(doc.get(MetricPath.parse("/foo"))).contains(List.of("bar", "baz"));
        assertThat(doc.get(MetricPath.parse("/foo/0"))).contains("bar");
        assertThat(doc.get(MetricPath.parse("/a~1b"))).contains(1L);
        assertThat(doc.get(MetricPath.parse("/c%d"))).contains(2L);
        assertThat(doc.get(MetricPath.parse("/e^f"))).contains(3L);
        assertThat(doc.get(MetricPath.parse("/g|h"))).contains(4L);
        assertThat(doc.get(MetricPath.parse("/i\\j"))).contains(5L);
        assertThat(doc.get(MetricPath.parse("/k\"l"))).contains(6L);
        assertThat(doc.get(MetricPath.parse("/ "))).contains(7L);
        assertThat(doc.get(MetricPath.parse("/m~0n"))).contains(8L);
        assertThat(doc.get(MetricPath.parse(""))).contains(doc.asMap());
    }

    @Test
    void tildeIsUnescapedBeforeSlashSoTildeZeroOneIsTildeOne() {
        assertThat(MetricPath.parse("/~01").segments()).containsExactly("~1");
        assertThat(MetricPath.parse("/~10").segments()).containsExactly("/0");
        assertThat(MetricPath.of("~1").toString()).isEqualTo("/~01");
        assertThat(MetricPath.of("~/").toString()).isEqualTo("/~0~1");
    }

    @Test
    void emptySegmentsAndTrailingSlashesAreKeys() {
        assertThat(MetricPath.parse("//").segments()).containsExactly("", "");
        assertThat(MetricPath.parse("/a//b").segments()).containsExactly("a", "", "b");
        assertThat(MetricPath.parse("/a/").segments()).containsExactly("a", "");
        assertThat(MetricPath.parse("/a/")).isNotEqualTo(MetricPath.parse("/a"));
        assertThat(MetricPath.of("a", "").toString()).isEqualTo("/a/");
        assertThat(MetricPath.of("", "").toString()).isEqualTo("//");
    }

    @Test
    void aMountPointRoundTrips() {
        MetricPath p = MetricPath.of("partitions", "/srv/a.b", "percent");

        assertThat(p.toString()).isEqualTo("/partitions/~1srv~1a.b/percent");
        assertThat(MetricPath.parse(p.toString())).isEqualTo(p);
        assertThat(MetricPath.parse("/partitions/~1/percent").segments()).containsExactly("partitions", "/", "percent");
    }

    @Test
    void anyKeyRoundTripsThroughItsPointer() {
        List<String> keys = List.of("~", "/", "~~//", "~0", "~1", "a~b/c", " ", "ü/€", "\\", "%2F");
        for (String a : keys) {
            for (String b : keys) {
                MetricPath p = MetricPath.of(a, b);
                assertThat(MetricPath.parse(p.toString())).as(p.toString()).isEqualTo(p);
                assertThat(MetricPath.parse(p.toString()).segments()).containsExactly(a, b);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/~", "/a~", "/~2", "/~a", "/a/~/b", "/~~", "/~-1"})
    void aTildeNotFollowedByZeroOrOneIsRefused(String pointer) {
        assertThatThrownBy(() -> MetricPath.parse(pointer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'~' must be followed by 0 or 1")
                .hasMessageContaining(pointer);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "foo/bar", " /a", "~0", "#/a"})
    void aPointerMustStartWithASlash(String pointer) {
        assertThatThrownBy(() -> MetricPath.parse(pointer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("starts with '/'")
                .hasMessageContaining(pointer);
    }

    @Test
    void nullsAreRefused() {
        assertThatThrownBy(() -> MetricPath.parse(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> MetricPath.of("a", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> MetricPath.ROOT.child(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void childMakesALongerPathAndLeavesTheParentAlone() {
        MetricPath parent = MetricPath.of("interfaces");
        MetricPath child = parent.child("eth0").child("up");

        assertThat(child.segments()).containsExactly("interfaces", "eth0", "up");
        assertThat(parent.segments()).containsExactly("interfaces");
        assertThat(MetricPath.ROOT.child("a")).isEqualTo(MetricPath.parse("/a"));
    }

    @Test
    void segmentsCannotBeChanged() {
        MetricPath p = MetricPath.parse("/a/b");

        assertThatThrownBy(() -> p.segments().add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> MetricPath.ROOT.segments().add("c")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void ofCopiesItsArgument() {
        String[] segments = {"a", "b"};
        MetricPath p = MetricPath.of(segments);
        segments[0] = "changed";

        assertThat(p.segments()).containsExactly("a", "b");
    }

    @Test
    void pathsAreEqualByTheirSegments() {
        MetricPath a = MetricPath.parse("/partitions/~1/percent");
        MetricPath b = MetricPath.of("partitions", "/", "percent");
        MetricPath c = MetricPath.of("partitions", "/", "used");

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
        assertThat(a.compareTo(b)).isZero();
        assertThat(a).isNotEqualTo("/partitions/~1/percent").isNotEqualTo(null);
    }

    @Test
    void pathsSortBySegmentsAndAParentBeforeItsChildren() {
        List<MetricPath> sorted = new ArrayList<>(List.of(
                MetricPath.parse("/b"), MetricPath.parse("/a/b"), MetricPath.ROOT, MetricPath.parse("/a"),
                MetricPath.parse("/a/"), MetricPath.parse("/a~1b"), MetricPath.parse("/ab"), MetricPath.parse("/A")));
        sorted.sort(null);

        // by segment, not by the escaped text: "a/b" (one key) sorts after "a" and before "ab"
        assertThat(sorted).extracting(MetricPath::toString)
                .containsExactly("", "/A", "/a", "/a/", "/a/b", "/a~1b", "/ab", "/b");
    }

    @Test
    void compareToIsAntisymmetricAndConsistentWithEquals() {
        List<MetricPath> paths = List.of(MetricPath.ROOT, MetricPath.parse("/a"), MetricPath.parse("/a/b"),
                MetricPath.parse("/a/"), MetricPath.parse("/b"), MetricPath.parse("/~0"), MetricPath.parse("/~1"));
        for (MetricPath x : paths) {
            for (MetricPath y : paths) {
                assertThat(Integer.signum(x.compareTo(y))).as(x + " vs " + y).isEqualTo(-Integer.signum(y.compareTo(x)));
                assertThat(x.compareTo(y) == 0).as(x + " vs " + y).isEqualTo(x.equals(y));
            }
        }
    }
}
