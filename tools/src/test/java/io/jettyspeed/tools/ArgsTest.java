package io.jettyspeed.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgsTest {

    private static final Set<String> OPTIONS = Set.of("--from", "--limit", "--timeout");
    private static final Set<String> FLAGS = Set.of("--follow");

    @Test
    void shouldSeparatePositionalArgumentsOptionsAndFlagsInAnyOrder() {
        Args args = Args.parse(List.of("--limit", "5", "jetty.chunk-events.v1", "--follow", "--from=end"), OPTIONS, FLAGS);

        assertThat(args.single("topic")).isEqualTo("jetty.chunk-events.v1");
        assertThat(args.intOption("--limit", 100, 1)).isEqualTo(5);
        assertThat(args.option("--from", "beginning")).isEqualTo("end");
        assertThat(args.flag("--follow")).isTrue();
        assertThat(args.durationOption("--timeout", Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shouldNameTheOptionInEveryUsageError() {
        assertThatThrownBy(() -> Args.parse(List.of("--colour", "red"), OPTIONS, FLAGS))
                .isInstanceOf(ToolException.class).hasMessage("unknown option --colour")
                .extracting(e -> ((ToolException) e).exitStatus()).isEqualTo(ToolException.USAGE);
        assertThatThrownBy(() -> Args.parse(List.of("t", "--limit"), OPTIONS, FLAGS)).hasMessage("--limit needs a value");
        assertThatThrownBy(() -> Args.parse(List.of("--limit", "--follow"), OPTIONS, FLAGS)).hasMessage("--limit needs a value");
        assertThatThrownBy(() -> Args.parse(List.of("--follow=yes"), OPTIONS, FLAGS)).hasMessage("--follow takes no value");
        assertThatThrownBy(() -> Args.parse(List.of("--limit", "0"), OPTIONS, FLAGS).intOption("--limit", 1, 1))
                .hasMessage("--limit must be a whole number of at least 1, was '0'");
        assertThatThrownBy(() -> Args.parse(List.of("a", "b"), OPTIONS, FLAGS).single("topic"))
                .hasMessage("one topic only, got a b");
        assertThatThrownBy(() -> Args.parse(List.of(), OPTIONS, FLAGS).single("topic")).hasMessage("missing topic");
        assertThatThrownBy(() -> Args.parse(List.of("--timeout", "soon"), OPTIONS, FLAGS)
                .durationOption("--timeout", Duration.ZERO)).hasMessageContaining("--timeout must be a duration");
    }

    @Test
    void shouldReadTimesAsIsoInstantsOffsetsOrDurationsBackFromNow() {
        Instant now = Instant.parse("2025-06-01T12:00:00Z");

        assertThat(Args.time("--from", "2025-05-31T08:15:00Z", now)).isEqualTo(Instant.parse("2025-05-31T08:15:00Z"));
        assertThat(Args.time("--from", "2025-06-01T14:00:00+02:00", now)).isEqualTo(now);
        assertThat(Args.time("--since", "30m", now)).isEqualTo(Instant.parse("2025-06-01T11:30:00Z"));
        assertThat(Args.time("--since", "2d", now)).isEqualTo(Instant.parse("2025-05-30T12:00:00Z"));
        assertThatThrownBy(() -> Args.time("--since", "yesterday", now)).hasMessageContaining("--since must be an ISO-8601 time");
    }
}
