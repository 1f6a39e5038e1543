package org.heartbeat.itest.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/** The runtime as assembled: every bundle started, every component satisfied, the YAML in ConfigAdmin. */
class RuntimeTest {
    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ServiceComponentRuntime scr;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    @Test
    void everyBundleIsActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get("Fragment-Host") != null;
            if (!fragment && b.getState() != Bundle.ACTIVE) {
                notActive.add(b.getSymbolicName() + " (state " + b.getState() + ")");
            }
        }
        assertThat(notActive).isEmpty();
    }

    @Test
    void jettyLogsThroughSlf4jWithoutAServiceLoaderMediator() throws Exception {
        Bundle jetty = Stream.of(context.getBundles()).filter(b -> "org.apache.felix.http.jetty12".equals(
                b.getSymbolicName())).findFirst().orElseThrow();
        // what Jetty's own classes see: SLF4J from hb.slf4j, with the provider slf4j.provider names
        Class<?> factory = jetty.loadClass("org.slf4j.LoggerFactory");
        assertThat(org.osgi.framework.FrameworkUtil.getBundle(factory).getSymbolicName()).isEqualTo("hb.slf4j");
        assertThat(factory.getMethod("getILoggerFactory").invoke(null).getClass().getName())
                .isEqualTo("org.slf4j.simple.SimpleLoggerFactory");
        // a mediator (Aries SPI Fly) would weave every class of Jetty as it loads: 0.6 s of hbd's start
        assertThat(Stream.of(context.getBundles()).map(Bundle::getSymbolicName))
                .noneMatch(bsn -> bsn.startsWith("org.apache.aries.spifly"));
    }

    @Test
    void everyHeartbeatComponentIsSatisfied() {
        List<String> problems = new ArrayList<>();
        int components = 0;
        for (Bundle b : context.getBundles()) {
            if (!b.getSymbolicName().startsWith("hb.")) {
                continue;
            }
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                Collection<ComponentConfigurationDTO> configurations = scr.getComponentConfigurationDTOs(d);
                components++;
                boolean needsConfiguration = "require".equals(d.configurationPolicy);
                if (configurations.isEmpty() && !needsConfiguration) {
                    problems.add(d.name + ": not enabled");
                }
                for (ComponentConfigurationDTO c : configurations) {
                    if (c.state != ComponentConfigurationDTO.ACTIVE && c.state != ComponentConfigurationDTO.SATISFIED) {
                        problems.add(d.name + ": state " + c.state + (c.failure == null ? "" : ", " + c.failure));
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(components).as("components found in hb.* bundles").isGreaterThanOrEqualTo(12);
    }

    @Test
    void theYamlFileIsTranslatedIntoConfigurations() throws Exception {
        Configuration server = configAdmin.getConfiguration("org.heartbeat.server", "?");
        assertThat(server.getProperties().get("interval")).isEqualTo(1.0);
        assertThat(server.getProperties().get("grace")).isEqualTo(1.0);
        assertThat((String[]) server.getProperties().get("hosts"))
                .containsExactlyInAnyOrder("signed-host", "signed-host-b", "configured-host");

        Configuration[] hosts = configAdmin.listConfigurations("(service.factoryPid=org.heartbeat.server.host)");
        assertThat(hosts).isNotNull();
        assertThat(Stream.of(hosts).map(c -> c.getProperties().get("name")))
                .containsExactlyInAnyOrder("signed-host", "signed-host-b", "configured-host");
        Configuration configured = Stream.of(hosts)
                .filter(c -> "configured-host".equals(c.getProperties().get("name"))).findFirst().orElseThrow();
        assertThat(configured.getProperties().get("interval")).isEqualTo(3.0);
        assertThat(configured.getProperties().get("owner")).isEqualTo("alice");
        assertThat((String[]) configured.getProperties().get("tags")).containsExactly("itest");
    }

    @Test
    void bothHttpInstancesRun() throws Exception {
        assertThat(context.getServiceReferences("org.osgi.service.servlet.runtime.HttpServiceRuntime",
                "(org.apache.felix.http.name=hbd)")).hasSize(1);
        assertThat(context.getServiceReferences("org.osgi.service.servlet.runtime.HttpServiceRuntime",
                "(org.apache.felix.http.name=ws)")).hasSize(1);
    }
}
