package org.heartbeat.plugin.support;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A component property type over configuration properties, as Declarative Services makes one (OSGi Compendium
 * 112.8.2): method {@code a__b} reads property {@code a_b} and {@code a_b} reads {@code a.b}; a missing property
 * gives the method's default (or zero); a single value where an array is declared becomes a one-element array.
 * A test fixture of the plugins' unit tests (this module's test-jar).
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
                return method.getDefaultValue() != null ? method.getDefaultValue()
                        : returns.isArray() ? Array.newInstance(returns.getComponentType(), 0)
                        : returns == double.class ? 0.0 : null;
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
    public static String propertyName(Method method) {
        return method.getName().replace("__", "\0").replace('_', '.').replace('\0', '_');
    }
}
