package io.jettyspeed.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;
import org.hibernate.validator.constraints.time.DurationMin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
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
        Throwable failure = catchThrowable(() -> start(Map.of(), "--jetty.example.group.batch=0"));

        assertThat(describe(failure))
                .isEqualTo("jetty.example.group.batch (JETTY_EXAMPLE_GROUP_BATCH) must be greater than or equal to 1, was 0");
        assertThat(output).contains("jetty.example.group.batch (JETTY_EXAMPLE_GROUP_BATCH) must be greater than or equal to 1, was 0");
    }

    @Test
    void shouldNameTheVariableThatWasSet() {
        Throwable failure = catchThrowable(() -> start(Map.of("JETTY_EXAMPLE_POLLTIMEOUT", "0s")));

        assertThat(describe(failure))
                .isEqualTo("jetty.example.poll-timeout (JETTY_EXAMPLE_POLLTIMEOUT) must be longer than 0, was 0s");
    }

    @Test
    void shouldNameThePlaceholdersVariableWhenTheValueComesFromTheYaml() {
        Throwable failure = catchThrowable(() -> start(Map.of("JETTY_PARTITIONS", "0")));

        assertThat(describe(failure))
                .isEqualTo("jetty.example.partitions (JETTY_PARTITIONS) must be greater than or equal to 1, was 0");
    }

    @Test
    void shouldNameAValueThatCannotBeConverted() {
        Throwable failure = catchThrowable(() -> start(Map.of(), "--jetty.example.partitions=six"));

        assertThat(describe(failure))
                .isEqualTo("jetty.example.partitions (JETTY_EXAMPLE_PARTITIONS) cannot be read as int, was six");
    }

    @Test
    void shouldNameTheGroupOfARuleAcrossItsFields() {
        Throwable failure = catchThrowable(() -> start(Map.of(), "--jetty.example.group.batch=13"));

        assertThat(describe(failure)).isEqualTo("jetty.example.group: batch must not be 13");
    }

    @Test
    void shouldLeaveOtherFailuresToSpringBoot() {
        assertThat(new SettingsFailureAnalyzer().analyze(new IllegalStateException("not ours"))).isNull();
    }

    private static String describe(Throwable failure) {
        assertThat(failure).as("start-up fails").isNotNull();
        return new SettingsFailureAnalyzer().analyze(failure).getDescription();
    }

    private static ConfigurableApplicationContext start(Map<String, Object> environment, String... args) {
        StandardEnvironment spring = new StandardEnvironment();
        spring.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
        return new SpringApplicationBuilder(Bound.class).web(WebApplicationType.NONE).environment(spring)
                .properties("spring.config.name=settings-example").run(args);
    }
}
