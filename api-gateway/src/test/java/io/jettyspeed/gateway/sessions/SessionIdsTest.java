package io.jettyspeed.gateway.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionIdsTest {

    private static final byte[] KEY = "a-deployment-wide-key-of-32-chars+".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldGiveARetryTheSameIdOnEveryInstanceWithTheSameKey() {
        // given: two gateway instances of one deployment
        SessionIds one = new SessionIds(KEY);
        SessionIds other = new SessionIds(KEY);

        // when / then
        assertThat(one.newSessionId("usr_1", "evt-1")).isEqualTo(other.newSessionId("usr_1", "evt-1"))
                .matches("sess_[0-9a-f]{32}");
    }

    @Test
    void shouldDeriveDifferentIdsForOtherUsersOtherEventsAndOtherKeys() {
        // given
        SessionIds ids = new SessionIds(KEY);
        SessionIds otherKey = new SessionIds("another-deployment-key-of-32-chars".getBytes(StandardCharsets.UTF_8));

        // when
        String id = ids.newSessionId("usr_1", "evt-1");

        // then: and the user/event boundary is unambiguous ("usr_1e" + "vt-1" is not "usr_1" + "evt-1")
        assertThat(id).isNotEqualTo(ids.newSessionId("usr_2", "evt-1"))
                .isNotEqualTo(ids.newSessionId("usr_1", "evt-2"))
                .isNotEqualTo(ids.newSessionId("usr_1e", "vt-1"))
                .isNotEqualTo(otherKey.newSessionId("usr_1", "evt-1"));
    }

    @Test
    void shouldDrawRandomIdsWithoutAnEventId() {
        // given
        SessionIds ids = new SessionIds(KEY);
        Set<String> seen = new HashSet<>();

        // when
        for (int i = 0; i < 10_000; i++) {
            seen.add(ids.newSessionId("usr_1", null));
        }

        // then
        assertThat(seen).hasSize(10_000).allMatch(id -> id.matches("sess_[0-9a-f]{32}"));
    }
}
