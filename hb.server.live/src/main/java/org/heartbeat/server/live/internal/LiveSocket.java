package org.heartbeat.server.live.internal;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.heartbeat.server.api.user.User;

/**
 * One accepted WebSocket, as Jetty calls it (on its threads): on open, a {@link Connection} of the {@link LiveHub};
 * on close or error, the connection's end. What the client sends is ignored: the updates are read-only.
 */
public final class LiveSocket implements Session.Listener.AutoDemanding {
    private final LiveHub hub;
    private final User viewer;
    private volatile Connection connection;

    LiveSocket(LiveHub hub, User viewer) {
        this.hub = hub;
        this.viewer = viewer;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        connection = hub.open(new Connection.Sink() {
            @Override
            public void send(String text, Consumer<Throwable> done) {
                session.sendText(text, Callback.from(() -> done.accept(null), done::accept));
            }

            @Override
            public void ping() {
                session.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
            }
        }, viewer);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        end();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        end();
    }

    private void end() {
        Connection c = connection;
        if (c != null) {
            c.close();
        }
    }
}
