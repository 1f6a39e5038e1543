package org.heartbeat.server.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class NagiosCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void anUpHostIsOkWithAgeRttAndIntervalAsPerfdata() throws Exception {
        NagiosCheck.Result r = NagiosCheck.host(json("{'name':'web1','status':'up','last_seen':'2026-11-26T07:59:57.500Z',"
                + "'rtt_ms':0.412,'interval':20,'grace':2}"), NOW);
        assertThat(r.state()).isEqualTo(NagiosCheck.OK);
        assertThat(r.line()).isEqualTo("HEARTBEAT OK - web1 is up, last heartbeat 2 s ago, RTT 0.412 ms"
                + " | age=2.5s rtt=0.412ms interval=20s");
    }

    @Test
    void anOverdueHostIsCriticalAndSaysSinceWhen() throws Exception {
        NagiosCheck.Result r = NagiosCheck.host(json("{'name':'web1','status':'overdue','last_seen':'2026-11-26T07:55:00Z',"
                + "'overdue_since':'2026-11-26T07:55:22Z','rtt_ms':null,'interval':20,'grace':2}"), NOW);
        assertThat(r.state()).isEqualTo(NagiosCheck.CRITICAL);
        assertThat(r.line()).isEqualTo("HEARTBEAT CRITICAL - web1 is overdue since 2026-11-26T07:55:22Z, last heartbeat"
                + " 5 min 0 s ago (interval 20 s, grace 2 s) | age=300s interval=20s");
    }

    @Test
    void aHostHbdCannotTellAboutYetIsUnknown() throws Exception {
        NagiosCheck.Result r = NagiosCheck.host(json("{'name':'db1','status':'unknown','last_seen':null,'interval':20}"),
                NOW);
        assertThat(r.state()).isEqualTo(NagiosCheck.UNKNOWN);
        assertThat(r.text()).isEqualTo("db1 is configured and has not reported yet");
        NagiosCheck.Result restored = NagiosCheck.host(json("{'name':'db1','status':'unknown',"
                + "'last_seen':'2026-11-26T07:59:00Z','interval':20}"), NOW);
        assertThat(restored.state()).isEqualTo(NagiosCheck.UNKNOWN);
        assertThat(restored.text()).isEqualTo("db1 has not reported since hbd started; its last heartbeat was 60 s ago");
    }

    private static final String CPU = "{'status':'ok','received':'2026-11-26T07:59:50Z','interval':60,"
            + "'values':{'cpu_percent':91.5,'per_cpu_percent':[90,93],'cores':2,'up':true},'error':null}";

    @Test
    void aMetricIsHeldAgainstTheRanges() throws Exception {
        JsonNode cpu = json(CPU);
        NagiosRange w = NagiosRange.parse("80");
        NagiosRange c = NagiosRange.parse("95");
        NagiosCheck.Result warn = NagiosCheck.plugin("web1", "cpu_monitor", cpu, NOW, "/cpu_percent", w, c);
        assertThat(warn.state()).isEqualTo(NagiosCheck.WARNING);
        assertThat(warn.line()).isEqualTo("HEARTBEAT WARNING - cpu_monitor of web1: /cpu_percent = 91.5 (warning: 80)"
                + " | /cpu_percent=91.5;80;95");
        assertThat(NagiosCheck.plugin("web1", "cpu_monitor", cpu, NOW, "/cpu_percent", w, NagiosRange.parse("90"))
                .state()).isEqualTo(NagiosCheck.CRITICAL);
        assertThat(NagiosCheck.plugin("web1", "cpu_monitor", cpu, NOW, "/per_cpu_percent/0", w, c).state())
                .isEqualTo(NagiosCheck.WARNING);
        assertThat(NagiosCheck.plugin("web1", "cpu_monitor", cpu, NOW, "/up", null, NagiosRange.parse("1:")).state())
                .as("booleans are 1 and 0").isEqualTo(NagiosCheck.OK);
        NagiosCheck.Result missing = NagiosCheck.plugin("web1", "cpu_monitor", cpu, NOW, "/load_1", w, c);
        assertThat(missing.state()).isEqualTo(NagiosCheck.UNKNOWN);
        assertThat(missing.text()).isEqualTo("cpu_monitor of web1 has no number at /load_1");
    }

    @Test
    void withoutAMetricAReportingPluginIsOkWithEveryNumberAsPerfdata() throws Exception {
        NagiosCheck.Result r = NagiosCheck.plugin("web1", "cpu_monitor", json(CPU), NOW, null, null, null);
        assertThat(r.state()).isEqualTo(NagiosCheck.OK);
        assertThat(r.line()).isEqualTo("HEARTBEAT OK - cpu_monitor of web1 reports 4 values, last sample 10 s ago"
                + " | /cpu_percent=91.5 /per_cpu_percent/0=90 /per_cpu_percent/1=93 /cores=2");
    }

    @Test
    void aFailingPluginIsCriticalAndAStaleOneUnknown() throws Exception {
        NagiosCheck.Result failing = NagiosCheck.plugin("web1", "disk_monitor", json("{'status':'failing','values':null,"
                + "'error':{'message':'collection timed out after 30 s','time':'2026-11-26T07:59:00Z'}}"), NOW, null,
                null, null);
        assertThat(failing.line()).isEqualTo("HEARTBEAT CRITICAL - disk_monitor of web1 failed: collection timed out"
                + " after 30 s");
        NagiosCheck.Result stale = NagiosCheck.plugin("web1", "cpu_monitor", json(CPU.replace("'ok'", "'stale'")
                .replace("07:59:50", "07:40:00")), NOW, "/cpu_percent", null, null);
        assertThat(stale.state()).isEqualTo(NagiosCheck.UNKNOWN);
        assertThat(stale.text()).isEqualTo("cpu_monitor of web1 has no recent values: last sample 20 min 0 s ago"
                + " (interval 60 s)");
    }

    @Test
    void theNagiosPluginGivesTheWorstStateOfItsChecksAndTheirPerfdata() throws Exception {
        JsonNode nagios = json("{'status':'ok','received':'2026-11-26T07:59:50Z','interval':60,'error':null,'values':{"
                + "'checks':{"
                + "'load':{'state':0,'status':'OK','output':'LOAD OK - load average: 0.10, 0.20, 0.30',"
                + "  'perfdata':{'load1':{'value':0.1,'warn':'5','crit':'10','min':0}}},"
                + "'disk root':{'state':2,'status':'CRITICAL','output':'DISK CRITICAL - free space: / 1 GB (3%)',"
                + "  'perfdata':{'/':{'value':35000,'uom':'MB','warn':'30000','crit':'32000','min':0,'max':36000}}}},"
                + "'worst_state':2,'worst_status':'CRITICAL'}}");
        NagiosCheck.Result r = NagiosCheck.plugin("web1", "nagios", nagios, NOW, null, null, null);
        assertThat(r.state()).isEqualTo(NagiosCheck.CRITICAL);
        assertThat(r.line()).isEqualTo("HEARTBEAT CRITICAL - nagios of web1: 2 checks, 1 CRITICAL, 1 OK - disk root: "
                + "DISK CRITICAL - free space: / 1 GB (3%) | load/load1=0.1;5;10;0; 'disk root//'=35000MB;30000;32000;0;36000");
    }

    @Test
    void labelsAreQuotedWhenTheyMustBeAndQuotesDoubled() {
        assertThat(NagiosCheck.label("/partitions/~1/percent")).isEqualTo("/partitions/~1/percent");
        assertThat(NagiosCheck.label("it's a b=c")).isEqualTo("'it''s a b=c'");
        assertThat(NagiosCheck.number(0.000412)).isEqualTo("0.000412");
        assertThat(NagiosCheck.number(1.0 / 3)).isEqualTo("0.333333");
    }
}
