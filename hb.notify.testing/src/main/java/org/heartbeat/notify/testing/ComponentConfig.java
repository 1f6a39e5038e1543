package org.heartbeat.notify.testing;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.Map;

/**
 * A component property type over configuration properties, as Declarative Services makes one (OSGi Compendium
 * 112.8.2), so a test can build a component with {@code new}: method {@code a__b} reads property {@code a_b} and
 * {@code a_b} reads {@code a.b}; a missing property gives the method's default (or zero, or null); a single value
 * where an array is declared becomes a one-element array; a string where a number is declared is parsed, and one
 * that is no number throws, as SCR's conversion does.
 *
 * <pre>{@code
 * PushoverChannel.Config c = ComponentConfig.of(PushoverChannel.Config.class, Map.of(".token", "...", ".priority", 1));
 * PushoverChannel.Config same = ComponentConfig.ofEntry(PushoverChannel.Config.class,
 *         Map.of("token", "...", "priority", 1));
 * }</pre>
 *
 * A method with a leading underscore reads a private property: {@code _token} reads {@code .token},
 * {@code _api__url} reads {@code .api_url}.
 */
public final class ComponentConfig {
    private ComponentConfig() {
    }

    public static <A> A of(Class<A> type, Map<String, ?> properties) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> type.getSimpleName() + properties;
                };
            }
            Object value = properties.get(propertyName(method));
            Class<?> returns = method.getReturnType();
            if (value == null) {
                return method.getDefaultValue() != null ? method.getDefaultValue() : empty(returns);
            }
            if (returns.isArray()) {
                return array(returns.getComponentType(), value);
            }
            return convert(returns, value);
        }));
    }

    /**
     * The type over the configuration {@code hbd} writes for a channel's YAML entry: every key with a leading dot
     * but {@code max_per_hour} ({@link ChannelComponent#configuration(Map)}).
     */
    public static <A> A ofEntry(Class<A> type, Map<String, ?> entry) {
        return of(type, ChannelComponent.configuration(entry));
    }

    /** The property a method of a component property type reads. */
    public static String propertyName(Method method) {
        return method.getName().replace("__", "\0").replace('_', '.').replace('\0', '_');
    }

    private static Object empty(Class<?> type) {
        if (type.isArray()) {
            return Array.newInstance(type.getComponentType(), 0);
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == double.class) {
            return 0.0;
        }
        if (type == boolean.class) {
            return false;
        }
        return null;
    }

    private static Object array(Class<?> component, Object value) {
        Object[] values = value instanceof Collection<?> c ? c.toArray()
                : value.getClass().isArray() ? toObjects(value) : new Object[] {value};
        Object array = Array.newInstance(component, values.length);
        for (int i = 0; i < values.length; i++) {
            Array.set(array, i, convert(component, values[i]));
        }
        return array;
    }

    private static Object[] toObjects(Object array) {
        Object[] out = new Object[Array.getLength(array)];
        for (int i = 0; i < out.length; i++) {
            out[i] = Array.get(array, i);
        }
        return out;
    }

    private static Object convert(Class<?> type, Object value) {
        if (type == String.class) {
            return String.valueOf(value);
        }
        if (type == int.class || type == Integer.class) {
            return value instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(value).trim());
        }
        if (type == long.class || type == Long.class) {
            return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value).trim());
        }
        if (type == double.class || type == Double.class) {
            return value instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(value).trim());
        }
        if (type == boolean.class || type == Boolean.class) {
            return value instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(value).trim());
        }
        return value;
    }
}
