package org.heartbeat.notify.email.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * The sockets of one send, so that a send can be cut short from another thread: Jakarta Mail blocks in socket
 * reads that neither {@link Thread#interrupt()} nor {@code Transport.close()} (synchronized with the send) can
 * end, but closing the socket does. Jakarta Mail takes the two factories as the session properties
 * {@code mail.smtp.socketFactory} and {@code mail.smtp.ssl.socketFactory}; every socket they make or wrap is
 * recorded, and {@link #abort()} closes them all, and any made afterwards.
 */
final class TrackedSockets {
    private final List<Socket> sockets = new ArrayList<>();
    private final SocketFactory plain = new Plain();
    private final SSLSocketFactory tls;
    private boolean aborted;

    /** @param tls makes the TLS sockets (with the trust of {@code ca_file}); its sockets are tracked too */
    TrackedSockets(SSLSocketFactory tls) {
        this.tls = new Tls(tls);
    }

    /** For plain connections and the plain socket that STARTTLS later wraps. */
    SocketFactory plain() {
        return plain;
    }

    /** For TLS: implicit TLS wraps a connected plain socket, and so does STARTTLS. */
    SSLSocketFactory tls() {
        return tls;
    }

    /** Closes every socket of this send, now and from now on; ends a read or connect blocked on one. */
    void abort() {
        List<Socket> open;
        synchronized (this) {
            aborted = true;
            open = List.copyOf(sockets);
            sockets.clear();
        }
        open.forEach(TrackedSockets::closeQuietly);
    }

    private <S extends Socket> S track(S socket) {
        boolean late;
        synchronized (this) {
            late = aborted;
            if (!late) {
                sockets.add(socket);
            }
        }
        if (late) {
            closeQuietly(socket);
        }
        return socket;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing to abort: nothing left to do with it
        }
    }

    private final class Plain extends SocketFactory {
        private final SocketFactory delegate = SocketFactory.getDefault();

        @Override
        public Socket createSocket() throws IOException {
            return track(delegate.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return track(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return track(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return track(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return track(delegate.createSocket(address, port, localAddress, localPort));
        }
    }

    private final class Tls extends SSLSocketFactory {
        private final SSLSocketFactory delegate;

        Tls(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            track(s);
            return track(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket() throws IOException {
            return track(delegate.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return track(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return track(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return track(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return track(delegate.createSocket(address, port, localAddress, localPort));
        }
    }
}
