package org.heartbeat.plugin.nagios.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PerfDataTest {
    private static PerfData one(String perfdata) {
        List<PerfData> all = PerfData.parseAll(perfdata);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void parsesAllFieldsOfTheGuidelinesFormat() {
        assertThat(one("/=2643MB;5948;5958;0;5968"))
                .isEqualTo(new PerfData("/", 2643.0, "MB", "5948", "5958", 0.0, 5968.0));
    }

    @Test
    void parsesWhatTheMonitoringPluginsPrint() {
        assertThat(PerfData.parseAll("load1=1.230;5.000;10.000;0; load5=0.890;4.000;8.000;0; "
                + "load15=0.920;3.000;6.000;0; ")).containsExactly(
                new PerfData("load1", 1.23, "", "5.000", "10.000", 0.0, null),
                new PerfData("load5", 0.89, "", "4.000", "8.000", 0.0, null),
                new PerfData("load15", 0.92, "", "3.000", "6.000", 0.0, null));
        assertThat(one(" /=24374149120B;267847005634;267847005634;0;270552530944"))
                .isEqualTo(new PerfData("/", 24374149120.0, "B", "267847005634", "267847005634", 0.0, 270552530944.0));
        assertThat(one("procs=83;;;0;")).isEqualTo(new PerfData("procs", 83.0, "", "", "", 0.0, null));
        assertThat(PerfData.parseAll("age=4607s;1;2 size=3B;0;0;0")).containsExactly(
                new PerfData("age", 4607.0, "s", "1", "2", null, null),
                new PerfData("size", 3.0, "B", "0", "0", 0.0, null));
    }

    @Test
    void takesEveryUnitOfTheGuidelines() {
        for (String uom : List.of("s", "ms", "us", "%", "B", "KB", "MB", "GB", "TB", "c")) {
            assertThat(one("x=1.5" + uom).uom()).isEqualTo(uom);
        }
    }

    @Test
    void keepsOtherUnitsAsWritten() {
        assertThat(one("temp=41.5°C;60;80").uom()).isEqualTo("°C");
        assertThat(one("rate=12KiB/s").uom()).isEqualTo("KiB/s");
        assertThat(one("x=3MiB").uom()).isEqualTo("MiB");
    }

    @Test
    void onlyTheValueIsRequired() {
        assertThat(one("users=0")).isEqualTo(new PerfData("users", 0.0, "", "", "", null, null));
        assertThat(one("users=0;5;10;0")).isEqualTo(new PerfData("users", 0.0, "", "5", "10", 0.0, null));
    }

    @Test
    void undeterminedValuesHaveNone() {
        assertThat(one("rta=U;100;200;0")).isEqualTo(new PerfData("rta", null, "", "100", "200", 0.0, null));
        assertThat(one("'x y'=U")).isEqualTo(new PerfData("x y", null, "", "", "", null, null));
    }

    @Test
    void numbersMayBeSignedFractionsOrExponents() {
        assertThat(one("a=-1.5").value()).isEqualTo(-1.5);
        assertThat(one("a=+2").value()).isEqualTo(2.0);
        assertThat(one("a=.5").value()).isEqualTo(0.5);
        assertThat(one("a=5.").value()).isEqualTo(5.0);
        assertThat(one("a=1.5e3ms").value()).isEqualTo(1500.0);
        assertThat(one("a=1.5e3ms").uom()).isEqualTo("ms");
    }

    @Test
    void keepsRangesAsWritten() {
        for (String range : List.of("10", "10:", "~:10", "10:20", "@10:20", "@~:5", "-5:-1", "0.5:1.5", "@10", ":5",
                "1e3:")) {
            PerfData p = one("x=1;" + range + ";" + range);
            assertThat(p.warn()).as(range).isEqualTo(range);
            assertThat(p.crit()).as(range).isEqualTo(range);
        }
    }

    @Test
    void leavesOutThresholdsThatAreNoRange() {
        for (String range : List.of("abc", "@", "10:20:30", "5%", "~", "1,5", "10-20")) {
            PerfData p = one("x=7;" + range + ";" + range + ";0;10");
            assertThat(p).as(range).isEqualTo(new PerfData("x", 7.0, "", "", "", 0.0, 10.0));
        }
    }

    @Test
    void minimumAndMaximumMayCarryTheUnitAndAreLeftOutWhenNotNumbers() {
        assertThat(one("swap=0B;0;0;0B;1024B")).isEqualTo(new PerfData("swap", 0.0, "B", "0", "0", 0.0, 1024.0));
        assertThat(one("x=1;;;low;high")).isEqualTo(new PerfData("x", 1.0, "", "", "", null, null));
        assertThat(one("x=1;;;0;100;extra;fields")).isEqualTo(new PerfData("x", 1.0, "", "", "", 0.0, 100.0));
    }

    @Test
    void quotedLabelsMayHoldBlanksEqualsSignsAndQuotes() {
        assertThat(PerfData.parseAll("'/ free'=3326MB 'a=b'=1 'it''s'=2 '''q'''=3 ''''=4")).extracting(PerfData::label)
                .containsExactly("/ free", "a=b", "it's", "'q'", "'");
    }

    @Test
    void unquotedLabelsMayHoldAnythingButBlanksAndEqualsSigns() {
        assertThat(PerfData.parseAll("/var/log=818MB C:\\ used=1 time_offset-192.168.0.1=-0.03s"))
                .extracting(PerfData::label).containsExactly("/var/log", "used", "time_offset-192.168.0.1");
    }

    @Test
    void skipsMalformedItemsAndKeepsTheOthers() {
        assertThat(PerfData.parseAll("garbage a=1 =5 ''=6 b= c=x d=1.2.3 e=1,5 f=5;;; 'unclosed=7 g=2 h=NaN i=1e999"
                + " j==3 k=--1"))
                .extracting(PerfData::label).containsExactly("a", "f", "g");
    }

    @Test
    void anUnclosedQuoteSpoilsOnlyItsOwnItem() {
        assertThat(PerfData.parseAll("a=1 'oops=2 b=3")).extracting(PerfData::label).containsExactly("a", "b");
        assertThat(PerfData.parseAll("'never closed")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t\n", "|", ";;;", "='='", "'", "''", "x", "OK - all fine"})
    void garbageGivesNothingAndNeverThrows(String perfdata) {
        assertThat(PerfData.parseAll(perfdata)).isEmpty();
    }

    @Test
    void blanksOfAnyKindSeparateItems() {
        assertThat(PerfData.parseAll("a=1\tb=2\n c=3  d=4")).extracting(PerfData::label)
                .containsExactly("a", "b", "c", "d");
    }

    @Test
    void aDuplicateLabelIsKeptInOrder() {
        assertThat(PerfData.parseAll("a=1 a=2")).extracting(PerfData::value).containsExactly(1.0, 2.0);
    }
}
