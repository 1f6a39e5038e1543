package com.example.webhook.internal;

import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.log.Logger;

/** An OSGi {@link Logger} that keeps what is logged, as "LEVEL message" with the {} filled in. */
final class RecordingLogger {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
            (proxy, method, args) -> {
                switch (method.getName()) {
                    case "trace", "debug", "info", "warn", "error", "audit" -> lines.add(
                            method.getName().toUpperCase(Locale.ROOT) + " " + format((String) args[0],
                            method.isVarArgs() ? (Object[]) args[1] : Arrays.copyOfRange(args, 1, args.length)));
                    case "getName" -> {
                        return "test";
                    }
                    case "toString" -> {
                        return "RecordingLogger";
                    }
                    default -> {
                        if (method.getReturnType() == boolean.class) {
                            return true;
                        }
                    }
                }
                return null;
            });

    private static String format(String format, Object[] values) {
        StringBuilder s = new StringBuilder();
        int from = 0;
        for (Object v : values) {
            int at = format.indexOf("{}", from);
            if (at < 0) {
                break;
            }
            s.append(format, from, at).append(v);
            from = at + 2;
        }
        return s.append(format.substring(from)).toString();
    }

    List<String> at(String level) {
        return lines.stream().filter(l -> l.startsWith(level + " ")).toList();
    }
}
