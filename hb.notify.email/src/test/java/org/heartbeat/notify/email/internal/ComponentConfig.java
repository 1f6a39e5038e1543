package org.heartbeat.notify.email.internal;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A component property type over configuration properties, as Declarative Services makes one (OSGi Compendium
 * 112.8.2): method {@code a__b} reads property {@code a_b}; a missing property gives the method's default (or null,
 * zero, an empty array); a single value where an array is declared becomes a one-element array.
 */
final class ComponentConfig {
    private ComponentConfig() {
    }

    static <A> A of(Class<A> type, Map<String, ?> properties) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> type.getSimpleName() + properties.keySet();
                };
            }
            Object value = properties.get(propertyName(method));
            Class<?> returns = method.getReturnType();
            if (value == null) {
                if (method.getDefaultValue() != null) {
                    return method.getDefaultValue();
                }
                return returns.isArray() ? Array.newInstance(returns.getComponentType(), 0)
                        : returns == int.class ? 0 : null;
            }
            if (returns.isArray() && !value.getClass().isArray()) {
                Object array = Array.newInstance(returns.getComponentType(), 1);
                Array.set(array, 0, value);
                return array;
            }
            return value;
        }));
    }

    /** The property a method of a component property type reads. */
    static String propertyName(Method method) {
        return method.getName().replace("__", "\0").replace('_', '.').replace('\0', '_');
    }
}
