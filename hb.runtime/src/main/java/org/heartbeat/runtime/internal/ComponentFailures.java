package org.heartbeat.runtime.internal;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads two kinds of log entries about a component that could not be created. Declarative Services (Felix SCR)
 * logs the failure with the whole stack, some ninety lines with the cause far down:
 *
 * <pre>
 * bundle com.example.probe:1.0.0 (35)[com.example.Probe(5)] : Error during instantiation of the implementation object
 * </pre>
 *
 * and when the component was being created for a consumer that asked for its service, the framework adds an
 * echo that reads like a bug of that consumer: {@code FrameworkEvent ERROR} with {@code ServiceException: Service
 * factory returned null}. {@link #condensed} makes the first one line with the root cause; {@link #isEcho} finds
 * the second.
 */
final class ComponentFailures {
    private static final Pattern SCR_FAILURE = Pattern.compile(
            "bundle (\\S+):(\\S+) \\(\\d+\\)\\[(.+?)\\(\\d+\\)\\] : (Error during instantiation of the implementation"
                    + " object|The activate method has thrown an exception)");
    private static final String FELIX_LOG_EXCEPTION = "org.apache.felix.log.LogException: ";

    private ComponentFailures() {
    }

    /**
     * SCR's entry about a component that could not be created as one line, "component NAME (bundle BSN
     * VERSION) could not be created: RootCause: message"; null when the entry is not one.
     */
    static String condensed(String message, Throwable exception) {
        Matcher m = message == null || exception == null ? null : SCR_FAILURE.matcher(message);
        if (m == null || !m.matches()) {
            return null;
        }
        return "component " + m.group(3) + " (bundle " + m.group(1) + " " + m.group(2) + ") could not be created: "
                + rootCause(exception);
    }

    /**
     * Whether the component was being created because a consumer asked for its service (a delayed component):
     * the consumer then gets no service and reports that itself, as hbc's plugin scheduler does.
     */
    static boolean createdOnRequest(Throwable exception) {
        return Arrays.stream(exception.getStackTrace()).anyMatch(f -> f.getClassName()
                .endsWith(".SingleComponentManager") && f.getMethodName().equals("getService"));
    }

    /** Whether the entry is the framework's echo of such a failure, "Service factory returned null". */
    static boolean isEcho(String message, Throwable exception) {
        return message != null && message.startsWith("FrameworkEvent ") && exception != null
                && String.valueOf(exception.getMessage()).contains("Service factory returned null");
    }

    /** The innermost cause, as "SimpleClassName: message". */
    static String rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.toString();
        // the OSGi log keeps copies of exceptions, whose text starts with their own class name
        while (text.startsWith(FELIX_LOG_EXCEPTION)) {
            text = text.substring(FELIX_LOG_EXCEPTION.length());
        }
        int colon = text.indexOf(':');
        String type = colon < 0 ? text : text.substring(0, colon);
        if (type.contains(" ") || type.lastIndexOf('.') < 0) {
            return text;
        }
        return type.substring(type.lastIndexOf('.') + 1) + (colon < 0 ? "" : text.substring(colon));
    }
}
