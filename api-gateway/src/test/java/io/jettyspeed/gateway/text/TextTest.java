package io.jettyspeed.gateway.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TextTest {

    /** The definition of an identifier, as the API documents it. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}");

    @Test
    void shouldTellIdentifiersAsTheirDefinitionDoes() {
        // given: the edges of the definition
        assertThat(Text.isId("a")).isTrue();
        assertThat(Text.isId("usr_1")).isTrue();
        assertThat(Text.isId("ev-1.2:3@x")).isTrue();
        assertThat(Text.isId("9" + "x".repeat(127))).isTrue();
        assertThat(Text.isId("9" + "x".repeat(128))).isFalse();
        assertThat(Text.isId("")).isFalse();
        assertThat(Text.isId(null)).isFalse();
        assertThat(Text.isId("_usr")).isFalse();
        assertThat(Text.isId("-1")).isFalse();
        assertThat(Text.isId("usr 1")).isFalse();
        assertThat(Text.isId("usr\u00e9")).isFalse();
        assertThat(Text.isId("usr\u0661")).isFalse();

        // then: random texts over the interesting characters answer as the regular expression does
        Random random = new Random(42);
        String alphabet = "aZ09_.:@-/ \u00e9\u0661\n+";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(4) == 0 ? 120 + random.nextInt(16) : random.nextInt(6);
            for (int i = 0; i < length; i++) {
                text.append(random.nextInt(3) == 0 ? alphabet.charAt(random.nextInt(alphabet.length())) : 'k');
            }
            assertThat(Text.isId(text.toString())).as("%s", text).isEqualTo(ID.matcher(text).matches());
        }
    }
}
