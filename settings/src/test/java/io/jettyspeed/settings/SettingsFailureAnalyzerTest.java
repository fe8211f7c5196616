package io.jettyspeed.settings;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;
import org.hibernate.validator.constraints.time.DurationMin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.validation.annotation.Validated;

@ExtendWith(OutputCaptureExtension.class)
class SettingsFailureAnalyzerTest {

    @Validated
    @ConfigurationProperties("jetty.example")
    record ExampleProperties(
            @Min(1) int partitions,
            @NotNull @DurationMin(nanos = 0, inclusive = false) Duration pollTimeout,
            @Valid @NotNull Group group) {

        record Group(@Min(1) int batch) {
            Group {
                if (batch == 13) {
                    throw new IllegalArgumentException("batch must not be 13");
                }
            }
        }
    }

    @EnableConfigurationProperties(ExampleProperties.class)
    static class Bound {
    }

    @Test
    void shouldStartWithTheYamlDefaults() {
        try (ConfigurableApplicationContext context = start(Map.of())) {
            assertThat(context.getBean(ExampleProperties.class).partitions()).isEqualTo(6);
        }
    }

    @Test
    void shouldNameTheSettingAndItsRelaxedEnvironmentNameWhenTheValueComesFromTheCommandLine(CapturedOutput output) {
        assertThat(describe(Map.of(), "--jetty.example.group.batch=0"))
                .isEqualTo("jetty.example.group.batch (JETTY_EXAMPLE_GROUP_BATCH) must be greater than or equal to 1, was 0");
        assertThat(output).contains("jetty.example.group.batch (JETTY_EXAMPLE_GROUP_BATCH) must be greater than or equal to 1, was 0");
    }

    @Test
    void shouldNameTheVariableThatWasSet() {
        assertThat(describe(Map.of("JETTY_EXAMPLE_POLLTIMEOUT", "0s")))
                .isEqualTo("jetty.example.poll-timeout (JETTY_EXAMPLE_POLLTIMEOUT) must be longer than 0, was 0s");
    }

    @Test
    void shouldNameThePlaceholdersVariableWhenTheValueComesFromTheYaml() {
        assertThat(describe(Map.of("JETTY_PARTITIONS", "0")))
                .isEqualTo("jetty.example.partitions (JETTY_PARTITIONS) must be greater than or equal to 1, was 0");
    }

    @Test
    void shouldNameAValueThatCannotBeConverted() {
        assertThat(describe(Map.of(), "--jetty.example.partitions=six"))
                .isEqualTo("jetty.example.partitions (JETTY_EXAMPLE_PARTITIONS) cannot be read as int, was six");
    }

    @Test
    void shouldNameTheGroupOfARuleAcrossItsFields() {
        assertThat(describe(Map.of(), "--jetty.example.group.batch=13")).isEqualTo("jetty.example.group: batch must not be 13");
    }

    @Test
    void shouldLeaveOtherFailuresToSpringBoot() {
        assertThat(new SettingsFailureAnalyzer().analyze(new IllegalStateException("not ours"))).isNull();
    }

    private static String describe(Map<String, Object> environment, String... args) {
        return SettingsStartup.failure(Bound.class, "settings-example", environment, args);
    }

    private static ConfigurableApplicationContext start(Map<String, Object> environment, String... args) {
        return SettingsStartup.start(Bound.class, "settings-example", environment, args);
    }
}
