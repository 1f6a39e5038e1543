package org.heartbeat.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;

import org.junit.jupiter.api.Test;

class ComponentFailuresTest {
    private static final String SCR_MESSAGE = "bundle com.example.probe:1.0.0 (35)[com.example.Probe(5)] : Error during"
            + " instantiation of the implementation object";

    private static Throwable failure(String... frames) {
        Throwable t = new InvocationTargetException(new IllegalStateException("no sensor attached"));
        StackTraceElement[] stack = new StackTraceElement[frames.length];
        for (int i = 0; i < frames.length; i++) {
            int dot = frames[i].lastIndexOf('.');
            stack[i] = new StackTraceElement(frames[i].substring(0, dot), frames[i].substring(dot + 1), "X.java", 1);
        }
        t.setStackTrace(stack);
        return t;
    }

    @Test
    void scrsEntryBecomesOneLineWithTheComponentItsBundleAndTheRootCause() {
        assertThat(ComponentFailures.condensed(SCR_MESSAGE, failure())).isEqualTo("component com.example.Probe"
                + " (bundle com.example.probe 1.0.0) could not be created: IllegalStateException: no sensor attached");
        assertThat(ComponentFailures.condensed("bundle b:1.0.0 (3)[c.D(7)] : The activate method has thrown an"
                + " exception", failure())).startsWith("component c.D (bundle b 1.0.0) could not be created: ");
    }

    @Test
    void otherEntriesAreLeftAlone() {
        assertThat(ComponentFailures.condensed(SCR_MESSAGE, null)).isNull();
        assertThat(ComponentFailures.condensed("plugin x: IOException: y", failure())).isNull();
        assertThat(ComponentFailures.condensed(null, failure())).isNull();
    }

    @Test
    void aComponentCreatedForAConsumersRequestIsToldFromOneCreatedBySCR() {
        assertThat(ComponentFailures.createdOnRequest(failure("a.B.c",
                "org.apache.felix.scr.impl.manager.SingleComponentManager.getService", "x.Y.z"))).isTrue();
        assertThat(ComponentFailures.createdOnRequest(failure("a.B.c",
                "org.apache.felix.scr.impl.manager.SingleComponentManager.getServiceInternal"))).isFalse();
    }

    @Test
    void theFrameworksEchoIsRecognised() {
        Exception echo = new IllegalStateException("Service factory returned null. (Component: x (5))");
        assertThat(ComponentFailures.isEcho("FrameworkEvent ERROR", echo)).isTrue();
        assertThat(ComponentFailures.isEcho("FrameworkEvent ERROR", new IllegalStateException("other"))).isFalse();
        assertThat(ComponentFailures.isEcho("plugin x", echo)).isFalse();
    }

    @Test
    void theRootCauseDropsTheLogServicesWrapperAndPackageNames() {
        Throwable wrapped = new RuntimeException("org.apache.felix.log.LogException: java.io.IOException: gone") {
            @Override
            public String toString() {
                return getMessage();
            }
        };
        assertThat(ComponentFailures.rootCause(wrapped)).isEqualTo("IOException: gone");
        assertThat(ComponentFailures.rootCause(new NullPointerException())).isEqualTo("NullPointerException");
    }
}
