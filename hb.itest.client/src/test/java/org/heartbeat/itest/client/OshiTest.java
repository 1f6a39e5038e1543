package org.heartbeat.itest.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.test.common.annotation.InjectBundleContext;

import com.sun.jna.Native;

import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;

/**
 * The system plugins' libraries are part of the base hbc runtime and work in it: OSHI reads the machine
 * through JNA, whose native library is loaded from the JNA bundle.
 */
class OshiTest {
    @InjectBundleContext
    BundleContext context;

    @Test
    void oshiAndJnaAreActiveBundlesOfTheRuntime() {
        for (String bsn : new String[] {"com.github.oshi.oshi-core", "com.sun.jna", "com.sun.jna.platform",
                "hb.slf4j"}) {
            assertThat(Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())))
                    .as(bsn).singleElement().extracting(Bundle::getState).isIn(Bundle.ACTIVE, Bundle.STARTING);
        }
        assertThat(FrameworkUtil.getBundle(SystemInfo.class).getSymbolicName()).isEqualTo("com.github.oshi.oshi-core");
    }

    @Test
    void oshiReadsProcessorsAndMemoryInsideFelix() throws IOException {
        SystemInfo si = new SystemInfo();
        CentralProcessor cpu = si.getHardware().getProcessor();
        GlobalMemory memory = si.getHardware().getMemory();

        // the machine's logical CPUs: this process may be allowed fewer (cgroups, taskset), never more
        assertThat(cpu.getLogicalProcessorCount()).isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            assertThat((long) cpu.getLogicalProcessorCount()).as("processors in /proc/cpuinfo")
                    .isEqualTo(Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("processor")).count());
        }
        assertThat(cpu.getSystemCpuLoadTicks()).hasSize(CentralProcessor.TickType.values().length);
        assertThat(memory.getTotal()).isGreaterThan(memory.getAvailable()).isGreaterThan(0);
        assertThat(si.getOperatingSystem().getProcessId()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void oshiLogsThroughTheProviderTheRuntimeNames() {
        assertThat(org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName())
                .as("slf4j.provider from cnf/hbc.bndrun names the provider hb.slf4j holds")
                .isEqualTo("org.slf4j.simple.SimpleLoggerFactory");
        assertThat(FrameworkUtil.getBundle(org.slf4j.LoggerFactory.class).getSymbolicName()).isEqualTo("hb.slf4j");
        // no ServiceLoader mediator, which would weave every class of the bundles that mention one
        assertThat(Arrays.stream(context.getBundles()).map(Bundle::getSymbolicName))
                .noneMatch(bsn -> bsn.startsWith("org.apache.aries.spifly"));
    }

    @Test
    void jnaLoadsItsNativeLibrary() {
        assertThat(Native.VERSION_NATIVE).isNotBlank();
        assertThat(Native.POINTER_SIZE).isEqualTo(8);
        assertThat(FrameworkUtil.getBundle(Native.class).getSymbolicName()).isEqualTo("com.sun.jna");
        System.out.println("JNA native library: jnidispatch " + Native.VERSION_NATIVE + ", jna.tmpdir="
                + System.getProperty("jna.tmpdir") + ", loaded from: " + nativeLibraryPath());
    }

    private static String nativeLibraryPath() {
        try {
            java.nio.file.Path maps = java.nio.file.Path.of("/proc/self/maps");
            return java.nio.file.Files.readAllLines(maps).stream().filter(l -> l.contains("jnidispatch") || l.matches(".*/jna[^/]*\\.tmp.*"))
                    .map(l -> l.substring(l.indexOf('/'))).findFirst().orElse("(not mapped)");
        } catch (java.io.IOException e) {
            return "(unknown: " + e + ")";
        }
    }
}
