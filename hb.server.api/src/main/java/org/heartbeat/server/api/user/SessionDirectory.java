package org.heartbeat.server.api.user;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The browser sessions of {@code hbd}'s pages: who a session cookie belongs to. The HTTP API's bundle provides it
 * (sessions begin at its login page on {@code hbd_port}); endpoints served elsewhere, such as the live updates on
 * {@code ws_port}, ask it so that a logged-in browser is recognised there too.
 *
 * <p>Called on the caller's thread (an HTTP request thread, typically): a lookup in memory, no password hash, safe
 * from any thread, never throws. A service of the HTTP API's bundle, absent while it is stopped; reference it as
 * optional and recognise nobody without it. docs/SERVER_API.md, "Users and browser sessions", has an example.
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
