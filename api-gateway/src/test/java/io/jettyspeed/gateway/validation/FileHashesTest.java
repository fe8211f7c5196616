package io.jettyspeed.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileHashesTest {

    private static final String HEX = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";

    @Test
    void shouldNormaliseToLowerCaseHexWithoutPrefix() {
        // when / then
        assertThat(FileHashes.normalise("sha256:" + HEX)).contains(HEX.toLowerCase());
        assertThat(FileHashes.normalise("SHA256:" + HEX)).contains(HEX.toLowerCase());
        assertThat(FileHashes.normalise(HEX)).contains(HEX.toLowerCase());
    }

    @Test
    void shouldRejectWhatIsNotASha256() {
        // when / then
        assertThat(FileHashes.normalise("sha256:test123")).isEmpty();
        assertThat(FileHashes.normalise(HEX.substring(1))).isEmpty();
        assertThat(FileHashes.normalise("md5:" + HEX)).isEmpty();
        assertThat(FileHashes.normalise(HEX.replace('F', 'g'))).isEmpty();
    }
}
