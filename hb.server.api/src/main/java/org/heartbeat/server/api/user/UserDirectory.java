package org.heartbeat.server.api.user;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The users of {@code hbd} and how they authenticate. A service of {@code hbd}'s core, following
 * {@code hbd reload}; safe from any thread.
 */
@ProviderType
public interface UserDirectory {
    /** Whether any user is configured: then the HTTP API answers only to authenticated requests. */
    boolean enabled();

    /** Every configured user, by name. */
    List<User> users();

    Optional<User> user(String name);

    /**
     * Who owns a host: its {@code owner} in {@code hosts:}, else {@code default_owner}; empty when neither is set
     * (its notifications then go to every admin).
     */
    Optional<User> owner(String host);

    /**
     * Checks a user's password. Deliberately slow (the hash's iterations); the caller limits attempts before
     * calling (the HTTP API does, per client address and per user).
     *
     * @return the user, when the name exists and the password matches its hash
     */
    Optional<User> authenticate(String name, String password);

    /** Checks an API token ({@code hbd token create}); fast. */
    Optional<User> authenticateToken(String token);
}
