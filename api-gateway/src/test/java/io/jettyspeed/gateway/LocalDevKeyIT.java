package io.jettyspeed.gateway;

import io.jettyspeed.testing.GatewayHttp;
import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.gateway.security.LocalDevKey;
import io.jettyspeed.testing.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/** In the local profile the fixed dev key is stored at start-up and works as an admin key. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.config.name=api-gateway")
@ActiveProfiles("local")
class LocalDevKeyIT {

    @RegisterExtension
    static final GatewayUnderTest gateway = new GatewayUnderTest();

    @Test
    void shouldStoreAndAcceptTheDevKeyForTheLauncherToPrint() {
        // given
        String key = gateway.bean(LocalDevKey.class).value();

        // when
        GatewayHttp.Response response = gateway.http().post("/api/jetty/track-upload", key,
                "{\"action\":\"start\",\"fileName\":\"a.bin\",\"fileSize\":10,\"userId\":\"usr_test\"}");

        // then
        assertThat(key).isEqualTo("ac_local_jettyspeeddevkey0000000000");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(TopicReader.readValues(gateway.topics().uploadEvents())).singleElement()
                .satisfies(start -> assertThat(start.getUserId()).isEqualTo("usr_test"));
    }
}
