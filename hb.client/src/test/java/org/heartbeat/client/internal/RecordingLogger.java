package org.heartbeat.client.internal;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.log.Logger;

/** An OSGi {@link Logger} that keeps every line as "LEVEL message", with the {} placeholders filled in. */
final class RecordingLogger {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
            (proxy, method, args) -> {
                String m = method.getName();
                if (m.startsWith("is")) {
                    return true;
                }
                if (m.equals("getName")) {
                    return "test";
                }
                if (m.equals("toString")) {
                    return "RecordingLogger";
                }
                if (args != null && args.length > 0 && args[0] instanceof String format) {
                    Object[] params = args.length == 2 && args[1] instanceof Object[] a ? a
                            : java.util.Arrays.copyOfRange(args, 1, args.length);
                    lines.add(m.toUpperCase(java.util.Locale.ROOT) + " " + format(format, params));
                }
                return null;
            });

    private static String format(String format, Object[] params) {
        StringBuilder sb = new StringBuilder();
        int from = 0;
        int p = 0;
        for (int at = format.indexOf("{}"); at >= 0; at = format.indexOf("{}", from)) {
            sb.append(format, from, at).append(p < params.length ? params[p++] : "{}");
            from = at + 2;
        }
        return sb.append(format.substring(from)).toString();
    }

    List<String> at(String level) {
        return lines.stream().filter(l -> l.startsWith(level + " ")).toList();
    }
}
