package org.heartbeat.server.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.heartbeat.server.api.user.User;
import org.heartbeat.server.api.user.UserDirectory;
import org.junit.jupiter.api.Test;

import jakarta.servlet.http.HttpServletRequest;

class WhoamiResourceTest {
    private static final User ALICE = new User("alice", true, List.of());
    private static final User BOB = new User("bob", false, List.of());

    private static UserDirectory directory(boolean enabled) {
        return (UserDirectory) Proxy.newProxyInstance(UserDirectory.class.getClassLoader(),
                new Class<?>[] {UserDirectory.class}, (p, m, a) -> switch (m.getName()) {
                    case "enabled" -> enabled;
                    case "user" -> Optional.ofNullable(a[0].equals("alice") ? ALICE : a[0].equals("bob") ? BOB
                            : null);
                    default -> null;
                });
    }

    private static HttpServletRequest request(String user, Object session) {
        return (HttpServletRequest) Proxy.newProxyInstance(WhoamiResourceTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> switch (m.getName()) {
                    case "getRemoteUser" -> user;
                    case "getAttribute" -> Sessions.ATTRIBUTE.equals(a[0]) ? session : null;
                    default -> null;
                });
    }

    @Test
    void theTokenOnlyForTheSessionsOwnUser() {
        Sessions.Session s = new Sessions(new MutableClock(), Duration.ofMinutes(30)).create("alice");
        assertThat(WhoamiResource.of(request("alice", s), directory(true)))
                .isEqualTo(new WhoamiResource.Whoami("alice", true, true, s.csrf()));
        assertThat(WhoamiResource.of(request("bob", null), directory(true)))
                .as("Basic or Bearer: no token").isEqualTo(new WhoamiResource.Whoami("bob", false, true, null));
        assertThat(WhoamiResource.of(request("bob", s), directory(true)).csrf()).isNull();
        assertThat(WhoamiResource.of(request(null, null), directory(false)))
                .isEqualTo(new WhoamiResource.Whoami(null, false, false, null));
        assertThat(WhoamiResource.of(request("alice", s), directory(true)).toString()).doesNotContain(s.csrf());
    }
}
