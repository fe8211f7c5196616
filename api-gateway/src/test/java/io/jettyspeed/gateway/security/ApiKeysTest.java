package io.jettyspeed.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void shouldFindTheKeyIdOfAWellFormedKey() {
        // when / then
        assertThat(ApiKeys.keyId("ac_local_jettyspeeddevkey0000000000")).contains("local");
        assertThat(ApiKeys.keyId(LocalDevKey.VALUE)).contains(LocalDevKey.KEY_ID);
    }

    @Test
    void shouldRejectMalformedKeys() {
        // when / then
        assertThat(ApiKeys.keyId(null)).isEmpty();
        assertThat(ApiKeys.keyId("your_production_api_key")).isEmpty();
        assertThat(ApiKeys.keyId("ac_local")).isEmpty();
        assertThat(ApiKeys.keyId("ac_local_short")).isEmpty();
        assertThat(ApiKeys.keyId("ac_LOCAL_jettyspeeddevkey0000000000")).isEmpty();
    }

    @Test
    void shouldGenerateKeysThatParseAndMatchOnlyTheirOwnHash() {
        // given
        String key = ApiKeys.generate();
        String other = ApiKeys.generate();

        // when
        byte[] stored = ApiKeys.hash(key);

        // then
        assertThat(ApiKeys.keyId(key)).isPresent();
        assertThat(ApiKeys.matches(key, stored)).isTrue();
        assertThat(ApiKeys.matches(other, stored)).isFalse();
        assertThat(stored).hasSize(32);
    }
}
