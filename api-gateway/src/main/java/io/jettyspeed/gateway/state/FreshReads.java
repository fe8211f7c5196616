package io.jettyspeed.gateway.state;

import io.jettyspeed.gateway.state.Freshness.WaitOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * How the read endpoints use the freshness watermark: take the time a question was asked, and if
 * the views it reads do not cover that time yet, wait as long as the client asked
 * ({@code Prefer: wait=<seconds>}, RFC 7240, capped by {@code max-wait}) or else the default wait,
 * then say how fresh the answer is ({@code asOf}).
 *
 * <p>One request has one deadline, taken at its first read, so a batch of dedup checks waits at
 * most once in total. Metrics: {@code jetty.gateway.read.wait{outcome}}, the time reads spent
 * waiting, by how the wait ended ({@code fresh}, {@code timed-out}, {@code refused}: too many were
 * waiting already).
 */
public final class FreshReads {

    private static final String DEADLINE = FreshReads.class.getName() + ".deadline";

    /** OpenAPI description of the {@code Prefer} request header of the reads. */
    public static final String PREFER_DESCRIPTION = "wait=<seconds> (RFC 7240): wait up to that long (at most "
            + "jetty.gateway.freshness.max-wait) for the answer to reflect every event acknowledged before the request; "
            + "without it the answer comes at once and says how fresh it is (asOf, state pending)";

    private final Freshness freshness;
    private final Duration defaultWait;
    private final Duration maxWait;
    private final Map<WaitOutcome, Timer> waits = new EnumMap<>(WaitOutcome.class);

    public FreshReads(Freshness freshness, Duration defaultWait, Duration maxWait, MeterRegistry registry) {
        this.freshness = freshness;
        this.defaultWait = defaultWait;
        this.maxWait = maxWait;
        for (WaitOutcome outcome : WaitOutcome.values()) {
            if (outcome != WaitOutcome.NOT_ASKED) {
                waits.put(outcome, Timer.builder("jetty.gateway.read.wait")
                        .description("Time reads waited for the local copies to reflect what was acknowledged before they were asked")
                        .tag("outcome", outcome.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                        .register(registry));
            }
        }
    }

    /** The time the question is asked, on the watermark's clock. */
    public Instant askedAt() {
        return freshness.now();
    }

    /** How fresh an answer from these views is now. */
    public Read now(Set<ViewKind> views, Instant askedAt) {
        return new Read(freshness.asOf(views), freshness.covers(views, askedAt));
    }

    /**
     * Waits, within the request's wait, until the views reflect everything acknowledged before
     * {@code askedAt} or {@code done} says the answer is settled anyway (a dedup hit is a fact).
     * Call it only for an answer that is not fresh {@linkplain #now yet}.
     */
    public Read await(Set<ViewKind> views, Instant askedAt, BooleanSupplier done) {
        long started = System.nanoTime();
        WaitOutcome outcome = freshness.await(views, askedAt, deadline(), done);
        Timer timer = waits.get(outcome);
        if (timer != null) {
            timer.record(Duration.ofNanos(System.nanoTime() - started));
        }
        return now(views, askedAt);
    }

    /**
     * Looks a key up in one view, after waiting (within the request's wait) for the view to reflect
     * everything acknowledged before the question: so with {@code Prefer: wait} a client reads its
     * own acknowledged writes, and a 404 says whether the key may simply not be processed yet.
     */
    public <T> Lookup<T> lookup(ViewKind view, java.util.function.Supplier<Optional<T>> get) {
        Set<ViewKind> views = Set.of(view);
        Instant askedAt = askedAt();
        Read read = now(views, askedAt);
        if (!read.fresh()) {
            read = await(views, askedAt, () -> false);
        }
        return new Lookup<>(get.get(), read);
    }

    /** A value looked up in a view, and how fresh the view was. */
    public record Lookup<T>(Optional<T> value, Read read) {

        /** The value, or a 404 that says how fresh the view was (see {@link NotFound#of(String, Read)}). */
        public T orElseNotFound(String nothingKnown) {
            return value.orElseThrow(() -> NotFound.of(nothingKnown, read));
        }

        /** The value described, or the 404 of {@link #orElseNotFound}; with how fresh the view was ({@code asOf}) last. */
        public Map<String, Object> answer(String nothingKnown, Function<T, Map<String, Object>> describe) {
            Map<String, Object> body = describe.apply(orElseNotFound(nothingKnown));
            body.put("asOf", read.asOfText());
            return body;
        }
    }

    /** The deadline ({@link System#nanoTime()}) of the current request's reads. */
    private long deadline() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (!(attributes instanceof ServletRequestAttributes servlet)) {
            return System.nanoTime() + defaultWait.toNanos();
        }
        Object existing = servlet.getAttribute(DEADLINE, RequestAttributes.SCOPE_REQUEST);
        if (existing instanceof Long deadline) {
            return deadline;
        }
        HttpServletRequest request = servlet.getRequest();
        Duration wait = preferredWait(Collections.list(request.getHeaders("Prefer")))
                .map(preferred -> preferred.compareTo(maxWait) > 0 ? maxWait : preferred)
                .orElse(defaultWait);
        long deadline = System.nanoTime() + wait.toNanos();
        servlet.setAttribute(DEADLINE, deadline, RequestAttributes.SCOPE_REQUEST);
        return deadline;
    }

    /**
     * The {@code wait} preference of {@code Prefer} header values (RFC 7240: {@code wait=<delta-seconds>},
     * among other comma-separated preferences, names case-insensitive, values possibly quoted,
     * parameters after {@code ;}; the first occurrence counts). A malformed value is ignored.
     */
    public static Optional<Duration> preferredWait(List<String> headerValues) {
        for (String header : headerValues) {
            if (header == null) {
                continue;
            }
            for (String preference : header.split(",")) {
                String token = preference.split(";", 2)[0];
                int equals = token.indexOf('=');
                String name = (equals < 0 ? token : token.substring(0, equals)).trim();
                if (!name.equalsIgnoreCase("wait")) {
                    continue;
                }
                if (equals < 0) {
                    return Optional.empty();
                }
                String value = token.substring(equals + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1).trim();
                }
                if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return Optional.empty();
                }
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            }
        }
        return Optional.empty();
    }

    /**
     * How fresh an answer is.
     *
     * @param asOf the views' watermark: everything acknowledged before it is reflected (empty: not known yet)
     * @param fresh whether that covers the time the question was asked
     */
    public record Read(Optional<Instant> asOf, boolean fresh) {

        /** The watermark moves every poll interval; the reads in between share its text. */
        private static volatile AsOfText last = new AsOfText(Instant.EPOCH, Instant.EPOCH.toString());

        /** {@code asOf} as ISO-8601, or null. */
        public String asOfText() {
            if (asOf.isEmpty()) {
                return null;
            }
            Instant at = asOf.get();
            AsOfText known = last;
            if (known.at().equals(at)) {
                return known.text();
            }
            AsOfText formatted = new AsOfText(at, at.toString());
            last = formatted;
            return formatted.text();
        }

        private record AsOfText(Instant at, String text) {
        }
    }
}
