package io.jettyspeed.crash;

import java.time.Duration;
import java.util.Collection;

/** The longest stretch without an event, from moments in {@link System#nanoTime()}. */
final class Gaps {

    private Gaps() {
    }

    /**
     * The longest time in [from, to] with no moment in it: between two moments, from {@code from} to the
     * first, or from the last to {@code to}.
     */
    static Duration longest(Collection<Long> moments, long fromNanos, long toNanos) {
        long[] inside = moments.stream().mapToLong(Long::longValue).filter(at -> at >= fromNanos && at <= toNanos)
                .sorted().toArray();
        long previous = fromNanos;
        long longest = 0;
        for (long at : inside) {
            longest = Math.max(longest, at - previous);
            previous = at;
        }
        longest = Math.max(longest, toNanos - previous);
        return Duration.ofNanos(longest);
    }
}
