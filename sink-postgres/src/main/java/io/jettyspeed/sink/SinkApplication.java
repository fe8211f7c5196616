package io.jettyspeed.sink;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The PostgreSQL sink: owns the analyst schema (Flyway) and writes the aggregate topics into it.
 * Its configuration lives in {@code sink-postgres.yml} so it can share a JVM with the other services.
 */
@SpringBootApplication
public class SinkApplication {

    public static final String CONFIG_NAME = "sink-postgres";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(SinkApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
