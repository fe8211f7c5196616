package io.jettyspeed.gateway;

import static io.jettyspeed.gateway.AggregateRecords.session;
import static io.jettyspeed.gateway.AggregateRecords.storedFile;
import static io.jettyspeed.gateway.AggregateRecords.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.schemas.DedupCheck;
import io.jettyspeed.schemas.UploadSessionStatus;
import io.jettyspeed.testing.GatewayHttp;
import io.jettyspeed.testing.TopicOffsets;
import io.jettyspeed.testing.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/**
 * {@code jetty.gateway.dedup-scope=user}: a dedup check finds only content the asking user already
 * has (it owns the stored copy, or an upload of its own completed), so no answer confirms that
 * another user stored something.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=api-gateway", "jetty.gateway.dedup-scope=user"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class GatewayUserDedupScopeIT {

    static final String ALICE = "ac_scopealice_userscopealicesecret00000001";
    static final String BOB = "ac_scopebob_userscopebobsecret0000000000001";
    static final String HASH = "4".repeat(64);

    @RegisterExtension
    static final GatewayUnderTest gateway = new GatewayUnderTest()
            .withKey(ALICE, Scope.CLIENT, "usr_alice", 10_000)
            .withKey(BOB, Scope.CLIENT, "usr_bob", 10_000);
    static final TopicOffsets offsets = gateway.offsets();

    @Test
    void shouldFindOnlyContentTheAskingUserAlreadyHas() throws Exception {
        // given: alice stored the content
        GatewayHttp http = gateway.http();
        String check = "{\"fileHash\":\"" + HASH + "\",\"eventId\":\"%s\"}";
        write(gateway.topics().fileIndex(), HASH, storedFile(HASH, "usr_alice"));
        await().atMost(Duration.ofSeconds(30)).until(() -> http.post("/api/jetty/check-duplicate", ALICE,
                check.formatted("alice-own")).json().get("isDuplicate").asBoolean());
        // and the processors (stood in for here) have processed everything so far
        CaughtUpProcessors.commitEverything(gateway.topics(), GatewayTestInfrastructure.processorsApplicationId(gateway.topics()));
        long before = offsets.total();

        // when: bob asks for the same content, ready to wait until the index can vouch for its answer
        GatewayHttp.Response bob = http.post("/api/jetty/check-duplicate", BOB, check.formatted("bob-1"),
                Map.of("Prefer", "wait=5"));
        GatewayHttp.Response bobsEdges = http.post("/api/jetty/optimal-edges", BOB, """
                {"fileHash":"%s","fileSize":4194304,"userLocation":{"lat":1,"lng":1}}""".formatted(HASH));
        GatewayHttp.Response bobsBatch = http.post("/api/jetty/events", BOB, """
                {"events":[{"type":"dedup-check","fileHash":"%s","eventId":"bob-batch-1"}]}""".formatted(HASH));

        // then: a plain miss, indistinguishable from content nobody stored, and nothing recorded
        assertThat(bob.status()).as(bob.toString()).isEqualTo(200);
        assertThat(bob.json().get("isDuplicate").asBoolean()).isFalse();
        assertThat(bob.json().get("state").asString()).isEqualTo("indexed");
        assertThat(Instant.parse(bob.json().get("asOf").asString())).isAfter(Instant.now().minusSeconds(10));
        assertThat(bob.json().get("scope").asString()).isEqualTo("user");
        assertThat(bob.json().has("existingFile")).isFalse();
        assertThat(bobsEdges.json().get("isDuplicate").asBoolean()).isFalse();
        assertThat(bobsBatch.json().get("events").get(0).get("isDuplicate").asBoolean()).isFalse();
        assertThat(offsets.total()).isEqualTo(before);

        // when: bob's own upload of the same content completes (it lost the race for the stored copy)
        write(gateway.topics().uploadSessions(), "sess_bob_h", session("sess_bob_h", "usr_bob", HASH,
                UploadSessionStatus.COMPLETED, Instant.now()));

        // then: now it is bob's content too: a hit, still without alice's name, recorded as a clone
        await().atMost(Duration.ofSeconds(30)).until(() -> http.post("/api/jetty/check-duplicate", BOB,
                check.formatted("bob-2")).json().get("isDuplicate").asBoolean());
        GatewayHttp.Response again = http.post("/api/jetty/check-duplicate", BOB, check.formatted("bob-3"));
        assertThat(again.json().get("existingFile").has("ownerUserId")).isFalse();
        assertThat(again.raw().body()).doesNotContain("usr_alice");
        assertThat(TopicReader.readValues(gateway.topics().dedupChecks())).extracting(DedupCheck::getEventId)
                .contains("alice-own", "bob-2", "bob-3").doesNotContain("bob-1", "bob-batch-1");
    }
}
