package org.heartbeat.server.api.user;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The browser sessions of {@code hbd}'s pages: who a session cookie belongs to. The HTTP API's bundle provides it
 * (sessions begin at its login page on {@code hbd_port}); endpoints served elsewhere, such as the live updates on
 * {@code ws_port}, ask it so that a logged-in browser is recognised there too. Safe from any thread.
 */
@ProviderType
public interface SessionDirectory {
    /** The name of the cookie that carries the session's id. */
    String COOKIE = "hb_session";

    /**
     * The user of a live session, the session counting as used now; empty for an unknown, ended or expired one,
     * or when its user is no longer in {@code users:}.
     *
     * @param id the value of the {@link #COOKIE} cookie, or null
     */
    Optional<User> user(String id);
}
