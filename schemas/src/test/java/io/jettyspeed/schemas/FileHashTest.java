package io.jettyspeed.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileHashTest {

    private static final String HEX = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";

    @Test
    void shouldNormaliseToLowerCaseHexWithoutPrefix() {
        // when / then
        assertThat(FileHash.normalise("sha256:" + HEX)).contains(HEX.toLowerCase());
        assertThat(FileHash.normalise("SHA256:" + HEX)).contains(HEX.toLowerCase());
        assertThat(FileHash.normalise(HEX)).contains(HEX.toLowerCase());
    }

    @Test
    void shouldRejectWhatIsNotASha256() {
        // when / then
        assertThat(FileHash.normalise("sha256:test123")).isEmpty();
        assertThat(FileHash.normalise(HEX.substring(1))).isEmpty();
        assertThat(FileHash.normalise("md5:" + HEX)).isEmpty();
        assertThat(FileHash.normalise(HEX.replace('F', 'g'))).isEmpty();
    }

    @Test
    void shouldAcceptOnlyTheEventsFormAsNormalised() {
        // when / then
        assertThat(FileHash.isNormalised(HEX.toLowerCase())).isTrue();
        assertThat(FileHash.isNormalised(HEX)).isFalse();
        assertThat(FileHash.isNormalised("sha256:" + HEX.toLowerCase())).isFalse();
        assertThat(FileHash.isNormalised(null)).isFalse();
        String lower = HEX.toLowerCase();
        assertThat(FileHash.isNormalised(lower.substring(1))).isFalse();
        assertThat(FileHash.isNormalised(lower + "0")).isFalse();
        for (char outside : new char[] {'/', ':', '`', 'g', 'G', ' ', '\u0660'}) { // around each range, and an Arabic zero
            assertThat(FileHash.isNormalised(outside + lower.substring(1))).as("%s", outside).isFalse();
            assertThat(FileHash.isNormalised(lower.substring(1) + outside)).as("%s", outside).isFalse();
        }
        assertThat(FileHash.isNormalised("0123456789abcdef".repeat(4))).isTrue();
    }
}
