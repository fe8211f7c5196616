package io.jettyspeed.tools;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed command line of one command: positional arguments, options with a value
 * ({@code --limit 10} or {@code --limit=10}) and flags ({@code --follow}). Unknown options, missing
 * values and malformed numbers or times are usage errors naming the option.
 */
public final class Args {

    private static final Pattern RELATIVE = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final List<String> positional;
    private final Map<String, String> options;
    private final Set<String> flags;

    private Args(List<String> positional, Map<String, String> options, Set<String> flags) {
        this.positional = positional;
        this.options = options;
        this.flags = flags;
    }

    /**
     * @param valueOptions options that take a value, e.g. {@code --limit}
     * @param flagOptions  options that stand alone, e.g. {@code --follow}
     */
    public static Args parse(List<String> args, Set<String> valueOptions, Set<String> flagOptions) {
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        Set<String> flags = new HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.equals("--")) {
                positional.add(arg);
                continue;
            }
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            if (flagOptions.contains(name)) {
                if (value != null) {
                    throw ToolException.usage(name + " takes no value");
                }
                flags.add(name);
            } else if (valueOptions.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                        throw ToolException.usage(name + " needs a value");
                    }
                    value = args.get(++i);
                }
                if (options.put(name, value) != null) {
                    throw ToolException.usage(name + " is given twice");
                }
            } else {
                throw ToolException.usage("unknown option " + name);
            }
        }
        return new Args(List.copyOf(positional), Map.copyOf(options), Set.copyOf(flags));
    }

    public List<String> positional() {
        return positional;
    }

    /** The one positional argument the command takes, e.g. the topic. */
    public String single(String what) {
        if (positional.isEmpty()) {
            throw ToolException.usage("missing " + what);
        }
        if (positional.size() > 1) {
            throw ToolException.usage("one " + what + " only, got " + String.join(" ", positional));
        }
        return positional.get(0);
    }

    public void noPositional() {
        if (!positional.isEmpty()) {
            throw ToolException.usage("unexpected argument " + positional.get(0));
        }
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    public String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    public String option(String name) {
        return options.get(name);
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    /** A whole number of at least {@code min}; {@code fallback} when absent. */
    public int intOption(String name, int fallback, int min) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min) {
                return number;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ToolException.usage(name + " must be a whole number of at least " + min + ", was '" + value + "'");
    }

    /** A duration like {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 7d}. */
    public Duration durationOption(String name, Duration fallback) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        Duration duration = duration(value);
        if (duration == null || duration.isZero()) {
            throw ToolException.usage(name + " must be a duration like 10s or 5m, was '" + value + "'");
        }
        return duration;
    }

    /**
     * A point in time: ISO-8601 ({@code 2025-06-01T12:00:00Z}, {@code 2025-06-01T14:00:00+02:00}) or a
     * duration back from {@code now} ({@code 30m} = half an hour ago).
     */
    public static Instant time(String option, String value, Instant now) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            // next form
        }
        Duration ago = duration(value);
        if (ago != null) {
            return now.minus(ago);
        }
        throw ToolException.usage(option + " must be an ISO-8601 time (2025-06-01T12:00:00Z) or a duration back from now"
                + " (30m), was '" + value + "'");
    }

    static Duration duration(String text) {
        Matcher matcher = RELATIVE.matcher(text.trim());
        if (!matcher.matches()) {
            return null;
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
