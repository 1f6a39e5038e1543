package org.heartbeat.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

class MetricsTest {

    // ---------------------------------------------------------------- builder

    @Test
    void theBuilderKeepsEveryKindOfValueInTheOrderPut() {
        Metrics m = Metrics.builder()
                .put("z_double", 12.5)
                .put("a_long", 3L)
                .put("m_bool", true)
                .put("b_string", "ext4")
                .list("y_doubles", 1.0, 2.5)
                .list("c_longs", 7L, 8L)
                .map("x_map", x -> x.put("k", 1L))
                .build();

        assertThat(m.asMap()).containsExactly(entry("z_double", 12.5), entry("a_long", 3L), entry("m_bool", true),
                entry("b_string", "ext4"), entry("y_doubles", List.of(1.0, 2.5)), entry("c_longs", List.of(7L, 8L)),
                entry("x_map", Map.of("k", 1L)));
    }

    @Test
    void nanAndInfinitiesAreLeftOut() {
        Metrics m = Metrics.builder()
                .put("nan", Double.NaN)
                .put("plus", Double.POSITIVE_INFINITY)
                .put("minus", Double.NEGATIVE_INFINITY)
                .put("ok", -0.0)
                .put("max", Double.MAX_VALUE)
                .build();

        assertThat(m.asMap()).containsOnlyKeys("ok", "max");
    }

    @Test
    void aListWithOneValueThatCannotBeMeasuredIsLeftOutWhole() {
        Metrics m = Metrics.builder()
                .list("with_nan", 1.0, Double.NaN, 3.0)
                .list("with_infinity", Double.NEGATIVE_INFINITY)
                .list("fine", 1.0, 2.0)
                .list("empty")
                .build();

        assertThat(m.asMap()).containsOnlyKeys("fine", "empty");
        assertThat(m.asMap().get("empty")).isEqualTo(List.of());
    }

    @Test
    void aNullStringIsLeftOut() {
        Metrics m = Metrics.builder().put("device", (String) null).put("fstype", "").build();

        assertThat(m.asMap()).containsOnlyKeys("fstype");
    }

    @Test
    void anEmptyMapIsLeftOutAndSoIsOneThatHoldsOnlyEmptyMaps() {
        Metrics m = Metrics.builder()
                .map("empty", e -> { })
                .map("only_nan", e -> e.put("x", Double.NaN))
                .map("nested_empty", e -> e.map("inner", i -> { }))
                .map("kept", e -> e.put("x", 1L))
                .build();

        assertThat(m.asMap()).containsOnlyKeys("kept");
    }

    @Test
    void anEmptyBuilderBuildsAnEmptySample() {
        Metrics m = Metrics.builder().put("x", Double.NaN).build();

        assertThat(m.isEmpty()).isTrue();
        assertThat(m).isEqualTo(Metrics.EMPTY);
        assertThat(m.leaves()).isEmpty();
    }

    @Test
    void puttingAKeyAgainKeepsTheLastValueInTheFirstPlace() {
        Metrics m = Metrics.builder()
                .put("a", 1L)
                .put("b", 2L)
                .put("a", "replaced")
                .put("c", 3L)
                .build();

        assertThat(m.asMap()).containsExactly(entry("a", "replaced"), entry("b", 2L), entry("c", 3L));
    }

    @Test
    void aValueThatCannotBeMeasuredDoesNotReplaceAnEarlierOne() {
        Metrics m = Metrics.builder().put("a", 1.5).put("a", Double.NaN).build();

        assertThat(m.asMap()).containsExactly(entry("a", 1.5));
    }

    @Test
    void anEmptyOrNullKeyIsRefused() {
        assertThatThrownBy(() -> Metrics.builder().put("", 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> Metrics.builder().put(null, 1L)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Metrics.builder().map("", m -> m.put("a", 1L)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBuiltSampleDoesNotChangeWhenTheBuilderGoesOn() {
        Metrics.Builder b = Metrics.builder().put("a", 1L);
        Metrics first = b.build();
        b.put("b", 2L).put("a", 5L);

        assertThat(first.asMap()).containsExactly(entry("a", 1L));
        assertThat(b.build().asMap()).containsExactly(entry("a", 5L), entry("b", 2L));
    }

    @Test
    void mapsNestSixteenDeepAndNoDeeper() {
        Metrics deepest = Metrics.builder().map("m", nest(Metrics.MAX_DEPTH - 2, leaf -> leaf.put("x", 1L))).build();

        assertThat(depthOf(deepest.asMap())).isEqualTo(Metrics.MAX_DEPTH);
        assertThatThrownBy(() -> Metrics.builder().map("m", nest(Metrics.MAX_DEPTH - 1, leaf -> leaf.put("x", 1L))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deeper than 16");
    }

    @Test
    void aListAtTheDeepestMapIsRefusedWhateverItHolds() {
        // the map at depth 16 may hold scalars, but a list there would be depth 17
        Metrics.Builder[] deepest = new Metrics.Builder[1];
        Metrics.builder().map("m", nest(Metrics.MAX_DEPTH - 2, leaf -> deepest[0] = leaf));

        assertThatThrownBy(() -> deepest[0].list("l", List.of(1L))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> deepest[0].list("l", 1.0, 2.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deeper than 16");
        assertThatThrownBy(() -> deepest[0].list("l", 1L, 2L)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNestedSampleIsCopiedInAndCheckedForDepth() {
        Metrics inner = Metrics.builder().put("percent", 41.5).build();
        Metrics outer = Metrics.builder().put("root", inner).build();

        assertThat(outer.number(MetricPath.parse("/root/percent"))).contains(41.5);

        Metrics deep = Metrics.builder().map("m", nest(Metrics.MAX_DEPTH - 2, leaf -> leaf.put("x", 1L))).build();
        assertThatThrownBy(() -> Metrics.builder().put("wrapper", deep))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deeper than 16");
    }

    @Test
    void aListOfPlainValuesIsCheckedLikeOf() {
        Metrics m = Metrics.builder().list("mixed", List.of(1, "two", 3.5, true, List.of(4L))).build();

        assertThat(m.asMap().get("mixed")).isEqualTo(List.of(1L, "two", 3.5, true, List.of(4L)));
        assertThatThrownBy(() -> Metrics.builder().list("l", Arrays.asList(1.0, Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"/l/1\"");
        assertThatThrownBy(() -> Metrics.builder().list("l", Arrays.asList("a", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"/l/1\"");
    }

    // ---------------------------------------------------------------- of

    @Test
    void ofWidensIntegersAndFloatsAndKeepsTheRest() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("int", 3);
        tree.put("short", (short) 4);
        tree.put("byte", (byte) 5);
        tree.put("long", 6L);
        tree.put("float", 1.5f);
        tree.put("double", 2.25);
        tree.put("bool", false);
        tree.put("string", "s");
        tree.put("list", List.of(1, 2.5f));
        tree.put("map", Map.of("k", 7));

        Metrics m = Metrics.of(tree);

        assertThat(m.asMap()).containsExactly(entry("int", 3L), entry("short", 4L), entry("byte", 5L),
                entry("long", 6L), entry("float", 1.5), entry("double", 2.25), entry("bool", false),
                entry("string", "s"), entry("list", List.of(1L, 2.5)), entry("map", Map.of("k", 7L)));
    }

    @Test
    void ofCopiesTheTree() {
        Map<String, Object> inner = new HashMap<>(Map.of("a", 1L));
        List<Object> list = new ArrayList<>(List.of(1L));
        Map<String, Object> tree = new HashMap<>(Map.of("inner", inner, "list", list));
        Metrics m = Metrics.of(tree);

        inner.put("b", 2L);
        list.add(2L);
        tree.put("c", 3L);

        assertThat(m.asMap()).containsOnlyKeys("inner", "list");
        assertThat(m.get(MetricPath.parse("/inner"))).contains(Map.of("a", 1L));
        assertThat(m.get(MetricPath.parse("/list"))).contains(List.of(1L));
    }

    @Test
    void ofNamesThePathOfAValueThatCannotBeMeasured() {
        Map<String, Object> tree = Map.of("partitions", Map.of("/srv", Map.of("percent", Double.NaN)));

        assertThatThrownBy(() -> Metrics.of(tree))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"/partitions/~1srv/percent\"")
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> Metrics.of(Map.of("f", Float.POSITIVE_INFINITY)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"/f\"")
                .hasMessageContaining("Infinity");
    }

    @Test
    void ofNamesTheListIndexOfABadElement() {
        assertThatThrownBy(() -> Metrics.of(Map.of("per_cpu_percent", List.of(1.0, 2.0, Double.NaN))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"/per_cpu_percent/2\"");
    }

    @Test
    void ofNamesThePathOfANullAndOfAnUnsupportedType() {
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("device", null);

        assertThatThrownBy(() -> Metrics.of(withNull))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"/device\"")
                .hasMessageContaining("null");
        assertThatThrownBy(() -> Metrics.of(Map.of("a", Map.of("b", new BigDecimal("1.5")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"/a/b\"")
                .hasMessageContaining("java.math.BigDecimal");
        assertThatThrownBy(() -> Metrics.of(Map.of("chars", new char[] {'a'})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"/chars\"");
    }

    @Test
    void ofRefusesEmptyAndNonStringKeysNamingTheMap() {
        assertThatThrownBy(() -> Metrics.of(Map.of("", 1L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("map at \"\"");
        assertThatThrownBy(() -> Metrics.of(Map.of("swap", Map.of(1, 2L))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("map at \"/swap\"")
                .hasMessageContaining("1");
    }

    @Test
    void ofAcceptsSixteenLevelsAndNamesThePathOfTheSeventeenth() {
        assertThat(depthOf(Metrics.of(nestedMaps(Metrics.MAX_DEPTH)).asMap())).isEqualTo(Metrics.MAX_DEPTH);
        assertThatThrownBy(() -> Metrics.of(nestedMaps(Metrics.MAX_DEPTH + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + "/m".repeat(Metrics.MAX_DEPTH) + "\"")
                .hasMessageContaining("deeper than 16");

        // a list counts as a level too
        Map<String, Object> listAtSeventeen = nestedMaps(Metrics.MAX_DEPTH);
        Map<String, Object> deepest = listAtSeventeen;
        for (int i = 1; i < Metrics.MAX_DEPTH; i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> next = (Map<String, Object>) deepest.get("m");
            deepest = next;
        }
        deepest.put("l", List.of(1L));
        assertThatThrownBy(() -> Metrics.of(listAtSeventeen))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/l\"");
    }

    @Test
    void theTreeCannotBeChanged() {
        Metrics m = Metrics.builder().list("l", 1.0).map("m", x -> x.put("a", 1L)).build();

        assertThatThrownBy(() -> m.asMap().put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) m.asMap().get("l");
        assertThatThrownBy(() -> list.add(2.0)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) m.asMap().get("m");
        assertThatThrownBy(() -> map.put("b", 2L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.leaves().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void samplesAreEqualByTheirValues() {
        Metrics a = Metrics.builder().put("x", 1L).list("l", 1.0).build();
        Metrics b = Metrics.of(Map.of("x", 1, "l", List.of(1.0)));
        Metrics c = Metrics.builder().put("x", 1.0).list("l", 1.0).build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
        assertThat(a.toString()).startsWith("Metrics{").contains("x=1");
    }

    // ---------------------------------------------------------------- get, number, leaves

    private static final Metrics SAMPLE = Metrics.builder()
            .put("cpu_percent", 12.5)
            .list("per_cpu_percent", 10.0, 15.0)
            .put("cores", 2)
            .map("partitions", p -> p.map("/", root -> root.put("device", "/dev/sda1").put("percent", 41.5)))
            .list("mixed", List.of(List.of(1, 2), Map.of("k", "v")))
            .build();

    @Test
    void getFollowsKeysAndListIndices() {
        assertThat(SAMPLE.get(MetricPath.parse("/per_cpu_percent/1"))).contains(15.0);
        assertThat(SAMPLE.get(MetricPath.parse("/partitions/~1/device"))).contains("/dev/sda1");
        assertThat(SAMPLE.get(MetricPath.parse("/mixed/0/1"))).contains(2L);
        assertThat(SAMPLE.get(MetricPath.parse("/mixed/1/k"))).contains("v");
        assertThat(SAMPLE.get(MetricPath.parse("/partitions"))).contains(Map.of("/", Map.of("device", "/dev/sda1",
                "percent", 41.5)));
        assertThat(SAMPLE.get(MetricPath.ROOT)).contains(SAMPLE.asMap());
    }

    @Test
    void getFindsNothingWhereThereIsNothing() {
        for (String pointer : List.of("/missing", "/per_cpu_percent/2", "/per_cpu_percent/-1", "/per_cpu_percent/01",
                "/per_cpu_percent/1.0", "/per_cpu_percent/", "/per_cpu_percent/x", "/per_cpu_percent/99999999999",
                "/cores/0", "/cpu_percent/x", "/partitions/", "/partitions/~1/device/0", "/mixed/1/0")) {
            assertThat(SAMPLE.get(MetricPath.parse(pointer))).as(pointer).isEmpty();
        }
    }

    @Test
    void numberReadsIntegersAndDoublesOnly() {
        assertThat(SAMPLE.number(MetricPath.parse("/cpu_percent"))).contains(12.5);
        assertThat(SAMPLE.number(MetricPath.parse("/cores"))).contains(2.0);
        assertThat(SAMPLE.number(MetricPath.parse("/per_cpu_percent/0"))).contains(10.0);
        assertThat(SAMPLE.number(MetricPath.parse("/partitions/~1/percent"))).contains(41.5);
        assertThat(SAMPLE.number(MetricPath.parse("/partitions/~1/device"))).isEmpty();
        assertThat(SAMPLE.number(MetricPath.parse("/per_cpu_percent"))).isEmpty();
        assertThat(SAMPLE.number(MetricPath.parse("/nothing"))).isEmpty();
    }

    @Test
    void leavesListsEveryScalarInTreeOrderWithListIndices() {
        assertThat(SAMPLE.leaves()).containsExactly(
                entry(MetricPath.parse("/cpu_percent"), 12.5),
                entry(MetricPath.parse("/per_cpu_percent/0"), 10.0),
                entry(MetricPath.parse("/per_cpu_percent/1"), 15.0),
                entry(MetricPath.parse("/cores"), 2L),
                entry(MetricPath.parse("/partitions/~1/device"), "/dev/sda1"),
                entry(MetricPath.parse("/partitions/~1/percent"), 41.5),
                entry(MetricPath.parse("/mixed/0/0"), 1L),
                entry(MetricPath.parse("/mixed/0/1"), 2L),
                entry(MetricPath.parse("/mixed/1/k"), "v"));
    }

    @Test
    void everyLeafCanBeFoundAgainByItsPath() {
        SAMPLE.leaves().forEach((path, value) -> {
            assertThat(SAMPLE.get(path)).as(path.toString()).contains(value);
            assertThat(SAMPLE.get(MetricPath.parse(path.toString()))).as(path.toString()).contains(value);
        });
    }

    // ---------------------------------------------------------------- helpers

    /** Fills {@code levels} more nested maps, each under key "m", and calls {@code leaf} on the innermost. */
    private static Consumer<Metrics.Builder> nest(int levels, Consumer<Metrics.Builder> leaf) {
        return b -> {
            if (levels == 0) {
                leaf.accept(b);
            } else {
                b.map("m", nest(levels - 1, leaf));
            }
        };
    }

    /** A root map and {@code depth - 1} maps nested in it under "m", the innermost holding x = 1. */
    private static Map<String, Object> nestedMaps(int depth) {
        Map<String, Object> root = new HashMap<>(Map.of("x", 1L));
        for (int i = 1; i < depth; i++) {
            Map<String, Object> outer = new HashMap<>();
            outer.put("m", root);
            root = outer;
        }
        return root;
    }

    private static int depthOf(Object node) {
        if (node instanceof Map<?, ?> map) {
            return 1 + map.values().stream().mapToInt(MetricsTest::depthOf).max().orElse(0);
        }
        if (node instanceof List<?> list) {
            return 1 + list.stream().mapToInt(MetricsTest::depthOf).max().orElse(0);
        }
        return 0;
    }
    @Test
    void aBuiltSampleDoesNotChangeWhenItsBuildersDo() {
        Metrics.Builder top = Metrics.builder().put("a", 1L);
        AtomicReference<Metrics.Builder> leaked = new AtomicReference<>();
        Metrics m = top.map("nested", n -> {
            n.put("x", 1L);
            leaked.set(n);
        }).build();

        top.put("b", 2L);
        leaked.get().put("y", 2L);

        assertThat(m.asMap()).isEqualTo(Map.of("a", 1L, "nested", Map.of("x", 1L)));
    }
}
