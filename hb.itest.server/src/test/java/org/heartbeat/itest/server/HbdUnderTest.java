package org.heartbeat.itest.server;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import org.heartbeat.protocol.Ack;
import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.HostKey;
import org.heartbeat.protocol.MalformedDatagramException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The running hbd as a client sees it: its HTTP API and its UDP port. */
final class HbdUnderTest implements AutoCloseable {
    static final HostKey SIGNED_HOST_KEY = HostKey.parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final int udpPort;
    private final DatagramSocket socket;

    /** A response: status and parsed JSON body. */
    record Response(int status, JsonNode body, String contentType) {
    }

    HbdUnderTest(BundleContext context) throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences(HttpServiceRuntime.class.getName(),
                "(org.apache.felix.http.name=hbd)");
        if (refs == null || refs.length == 0) {
            throw new IllegalStateException("no HTTP runtime named hbd");
        }
        Object endpoint = refs[0].getProperty("osgi.http.endpoint");
        String first = endpoint instanceof String[] a ? a[0] : endpoint.toString();
        int port = URI.create(first).getPort();
        this.base = "http://127.0.0.1:" + port;
        this.udpPort = get("/api/status").body().path("udp_port").asInt();
        this.socket = new DatagramSocket();
    }

    int udpPort() {
        return udpPort;
    }

    Response get(String path) throws IOException, InterruptedException {
        return request(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    /** A GET whose body is text: status, content type and body. */
    record Text(int status, String contentType, String body) {
    }

    Text text(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return new Text(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    Response request(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.body().isEmpty() ? null : JSON.readTree(r.body());
        return new Response(r.statusCode(), body, r.headers().firstValue("Content-Type").orElse(""));
    }

    URI uri(String path) {
        return URI.create(base + path);
    }

    /** The host as the API shows it, if tracked. */
    Optional<JsonNode> host(String name) throws IOException, InterruptedException {
        Response r = get("/api/hosts/" + name);
        return r.status() == 200 ? Optional.of(r.body()) : Optional.empty();
    }

    long counter(String name) throws IOException, InterruptedException {
        return get("/api/status").body().path("datagrams").path(name).asLong();
    }

    void send(byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), udpPort));
    }

    /** The next datagram the server sends back within {@code timeout}, or empty. */
    Optional<byte[]> receive(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(p);
            return Optional.of(Arrays.copyOf(buf, p.getLength()));
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
    }

    /** Sends and returns the ACK, decoded, with its raw bytes. */
    Ack exchange(byte[] datagram, Duration timeout) throws IOException, MalformedDatagramException {
        send(datagram);
        byte[] answer = receive(timeout).orElseThrow(() -> new AssertionError("no ACK within " + timeout));
        return (Ack) Datagrams.decode(ByteBuffer.wrap(answer));
    }

    @Override
    public void close() {
        socket.close();
    }
}
