package io.jettyspeed.settings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Turns a setting that fails binding or validation at start-up into one line per broken setting,
 * naming it and the environment variable that sets it:
 * {@code jetty.sink.max-poll-records (JETTY_SINK_MAX_POLL_RECORDS) must be greater than or equal to 1, was 0}.
 *
 * <p>Why our own: Boot's {@code BindValidationFailureAnalyzer} says the same in six lines per error
 * (property, value, origin, reason) and never names the environment variable, which is how the
 * services are configured in containers. Ordered first so that it is asked before Boot's analyzers;
 * it answers only for our own settings ({@code jetty.*}), so Boot still explains everything else.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class SettingsFailureAnalyzer implements FailureAnalyzer {

    static final String PREFIX = "jetty.";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)[:}]");

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        BindValidationException invalid = cause(failure, BindValidationException.class);
        if (invalid != null && invalid.getValidationErrors().getName().toString().startsWith(PREFIX)) {
            List<String> lines = new ArrayList<>();
            List<Origin> origins = new ArrayList<>();
            ValidationErrors errors = invalid.getValidationErrors();
            for (ObjectError error : errors) {
                String name = error instanceof FieldError field
                        ? error.getObjectName() + "." + DataObjectPropertyName.toDashedForm(field.getField())
                        : error.getObjectName();
                ConfigurationProperty property = errors.getBoundProperties().stream()
                        .filter(bound -> bound.getName().toString().equals(name)).findFirst().orElse(null);
                Object rejected = error instanceof FieldError field ? field.getRejectedValue() : null;
                // the value as written, unless it was a placeholder: then the value it resolved to
                Object value = property != null && !String.valueOf(property.getValue()).contains("${")
                        ? property.getValue() : rejected;
                lines.add(line(name, property == null ? null : property.getOrigin(), error.getDefaultMessage(), value));
                origins.add(property == null ? null : property.getOrigin());
            }
            return analysis(lines, origins, failure);
        }
        BindException unbound = cause(failure, BindException.class);
        if (unbound != null && unbound.getName().toString().startsWith(PREFIX)) {
            String name = unbound.getName().toString();
            ConfigurationProperty property = unbound.getProperty();
            Throwable root = rootCause(unbound);
            String line = property == null
                    // a rule across the fields of one group, thrown by the record's constructor
                    ? name + ": " + root.getMessage()
                    : line(name, property.getOrigin(),
                            "cannot be read as " + unbound.getTarget().getType().toString().replace("java.lang.", ""),
                            property.getValue());
            return analysis(List.of(line), Collections.singletonList(property == null ? null : property.getOrigin()), failure);
        }
        return null;
    }

    /** {@code <setting> (<ENV_NAME>) <reason>, was <value>}. */
    static String line(String name, Origin origin, String reason, Object value) {
        String was = value == null ? "was not set" : "was " + readable(value);
        return name + " (" + environmentName(name, origin) + ") " + reason + ", " + was;
    }

    /** A value as it would be written in the YAML: a Duration as {@code 10s} or {@code 1m30s}, not {@code PT10S}. */
    public static String readable(Object value) {
        return value instanceof Duration duration ? duration.toString().substring(2).toLowerCase(Locale.ROOT) : String.valueOf(value);
    }

    /**
     * The variable that set the value if it came from the environment, the placeholder's variable if it
     * came from a YAML line {@code ${NAME:default}}, else the one Boot's relaxed binding reads.
     */
    static String environmentName(String name, Origin origin) {
        for (Origin candidate = origin; candidate != null; candidate = candidate instanceof PropertySourceOrigin source
                && source.getOrigin() != null ? source.getOrigin() : candidate.getParent()) {
            if (candidate instanceof SystemEnvironmentOrigin environment) {
                return environment.getProperty();
            }
            if (candidate instanceof TextResourceOrigin text && text.getResource() != null && text.getLocation() != null) {
                String placeholder = placeholderOnLine(text);
                if (placeholder != null) {
                    return placeholder;
                }
            }
        }
        return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_').replace("[", "_").replace("]", "");
    }

    private static String placeholderOnLine(TextResourceOrigin text) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(text.getResource().getInputStream(), StandardCharsets.UTF_8))) {
            String line = reader.lines().skip(text.getLocation().getLine()).findFirst().orElse("");
            Matcher matcher = PLACEHOLDER.matcher(line);
            return matcher.find() ? matcher.group(1) : null;
        } catch (IOException unreadable) {
            return null; // the relaxed-binding name is still right
        }
    }

    private static FailureAnalysis analysis(List<String> lines, List<Origin> origins, Throwable failure) {
        List<String> where = origins.stream().filter(origin -> origin != null).map(Object::toString).distinct().toList();
        String action = "Fix the setting in the environment or in the service's YAML"
                + (where.isEmpty() ? "." : " (set in " + String.join("; ", where) + ").");
        return new FailureAnalysis(String.join(System.lineSeparator(), lines), action, failure);
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
            if (type.isInstance(candidate)) {
                return type.cast(candidate);
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
