package org.heartbeat.server.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Where {@code hbd} serves HTTP: the configuration translator writes it from {@code listen}, {@code hbd_port} and
 * {@code ws_port} in {@code hb.yaml}.
 */
@ObjectClassDefinition(name = "Heartbeat HTTP", description = "The addresses of hbd's two HTTP instances")
@interface HttpSettings {
    String PID = "org.heartbeat.server.http";

    @AttributeDefinition(description = "Address to bind; empty for every address")
    String listen() default "";

    @AttributeDefinition(name = "http.port", description = "The dashboard and the API (hbd_port); 0 for any")
    int http_port() default 50004;

    @AttributeDefinition(name = "ws.port", description = "Live updates (ws_port); 0 for any")
    int ws_port() default 50005;

    @AttributeDefinition(name = "metrics.public", description = "Serve /metrics without authentication when users "
            + "are configured (metrics_public)")
    boolean metrics_public() default false;

    @AttributeDefinition(name = "session.idle.timeout", description = "Seconds a browser session lasts without a "
            + "request (session_idle_timeout)")
    double session_idle_timeout() default 1800;

    @AttributeDefinition(name = "tls.cert", description = "The certificate chain, PEM (tls_cert); empty for HTTP")
    String tls_cert() default "";

    @AttributeDefinition(name = "tls.key", description = "Its private key, PKCS#8 PEM (tls_key)")
    String tls_key() default "";

    @AttributeDefinition(name = "tls.fingerprint", description = "SHA-256 of the certificate when the configuration"
            + " was read: a renewed certificate changes it, and the key store is built again")
    String tls_fingerprint() default "";

    @AttributeDefinition(name = "tls.keystore", description = "Where the PKCS#12 key store built from the PEM files"
            + " is written (private to the user; next to the pickfile)")
    String tls_keystore() default "";

    @AttributeDefinition(name = "trusted.proxies", description = "Addresses whose forwarded headers are believed"
            + " (trusted_proxies)")
    String[] trusted_proxies() default {};
}
