package org.heartbeat.client.internal;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.service.component.ComponentServiceObjects;

/**
 * What SCR hands the scheduler's bind methods: the service object of a plugin (null when its component cannot be
 * created), a reference with the plugin's service properties, and a bundle {@value #BUNDLE} {@value #VERSION}.
 */
final class FakeServiceObjects<S> implements ComponentServiceObjects<S> {
    static final String BUNDLE = "com.example.plugins";
    static final String VERSION = "1.2.3";

    final AtomicInteger gets = new AtomicInteger();
    final AtomicInteger ungets = new AtomicInteger();
    private final S service;
    private final ServiceReference<S> reference;

    @SuppressWarnings("unchecked")
    FakeServiceObjects(S service, Map<String, Object> properties) {
        this.service = service;
        Bundle bundle = (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName" -> BUNDLE;
                    case "getVersion" -> Version.parseVersion(VERSION);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
        this.reference = (ServiceReference<S>) Proxy.newProxyInstance(ServiceReference.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getBundle" -> bundle;
                    case "getProperty" -> properties.get((String) args[0]);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }

    @Override
    public S getService() {
        gets.incrementAndGet();
        return service;
    }

    @Override
    public void ungetService(S s) {
        ungets.incrementAndGet();
    }

    @Override
    public ServiceReference<S> getServiceReference() {
        return reference;
    }
}
