package io.jettyspeed.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import io.jettyspeed.gateway.GatewayProperties;
import io.jettyspeed.gateway.problems.ProblemException;
import io.jettyspeed.gateway.security.Caller;
import io.jettyspeed.gateway.security.Scope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class JsonRequestsTest {

    static final Caller CLIENT = new Caller("k1", Set.of(Scope.CLIENT), "usr_1");

    final JsonRequests requests = new JsonRequests(properties());

    @Test
    void shouldRefuseAKeyWithoutTheScopeBeforeReadingTheBody() {
        // when / then: 403, not the 400 the body would earn
        assertThatThrownBy(() -> requests.read(bytes("not json"), CLIENT, "report edge metrics", Scope.EDGE))
                .isInstanceOfSatisfying(ProblemException.class,
                        problem -> assertThat(problem.status()).isEqualTo(HttpStatus.FORBIDDEN));
    }

    @Test
    void shouldReadTheBodyIntoTheRequestsChecks() {
        // when
        FieldReader root = requests.read(bytes("{\"action\":\"start\"}"), CLIENT, "track uploads", Scope.CLIENT);

        // then
        assertThat(root.string("action", 10, true)).isEqualTo("start");
        assertThat(root.checks().caller()).isEqualTo(CLIENT);
        assertThat(root.checks().maxClockSkew()).isEqualTo(Duration.ofMinutes(5));
        assertThat(root.checks().hasErrors()).isFalse();
    }

    @Test
    void shouldRefuseABatchLargerThanTheMaximum() {
        // given
        FieldReader root = requests.read(bytes("{\"events\":[{},{},{}]}"), CLIENT, "send events", Scope.CLIENT);

        // when
        var elements = requests.batch(root, "events");

        // then
        assertThat(elements).isEmpty();
        assertThat(root.checks().errorCount()).isEqualTo(1);
    }

    private static GatewayProperties properties() {
        GatewayProperties properties = mock(GatewayProperties.class);
        given(properties.maxClockSkew()).willReturn(Duration.ofMinutes(5));
        given(properties.maxBatchSize()).willReturn(2);
        return properties;
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
