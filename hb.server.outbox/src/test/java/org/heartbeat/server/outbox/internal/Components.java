package org.heartbeat.server.outbox.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.log.Logger;

/** What unit tests need to build components with {@code new}: configuration annotations and a logger. */
final class Components {
    private Components() {
    }

    /** An instance of a configuration annotation: the given values, the annotation's defaults for the rest. */
    static <A extends Annotation> A config(Class<A> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (values.containsKey(method.getName())) {
                return values.get(method.getName());
            }
            if (method.getDefaultValue() != null) {
                return method.getDefaultValue();
            }
            if (method.getName().equals("annotationType")) {
                return type;
            }
            throw new IllegalStateException("no value for " + method.getName());
        }));
    }

    /** A logger that keeps what it is told, as "LEVEL message" with the arguments appended. */
    static final class RecordingLogger {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
                new Class<?>[] {Logger.class}, (proxy, method, args) -> record(method, args));

        private Object record(Method method, Object[] args) {
            String name = method.getName();
            if (name.startsWith("is")) {
                return true;
            }
            if (name.equals("getName")) {
                return "test";
            }
            if (List.of("trace", "debug", "info", "warn", "error", "audit").contains(name) && args != null) {
                StringBuilder b = new StringBuilder(name.toUpperCase()).append(' ').append(args[0]);
                for (int i = 1; i < args.length; i++) {
                    b.append(" | ").append(args[i] instanceof Object[] a ? java.util.Arrays.toString(a) : args[i]);
                }
                lines.add(b.toString());
            }
            return null;
        }
    }
}
