package io.jettyspeed.gateway.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A short history of one edge for the sparklines: at most one point per interval; within an
 * interval the newest point is replaced, so the line always ends at the current value. The page
 * applies the same rule to the live updates it receives.
 */
final class EdgeHistory {

    /** One point: when (epoch ms), score, latency (ms) and state. */
    record Point(long t, Double score, Double latencyMs, String state) {
    }

    private final int length;
    private final long intervalMillis;
    private final Deque<Point> points = new ArrayDeque<>();

    EdgeHistory(int length, long intervalMillis) {
        this.length = length;
        this.intervalMillis = intervalMillis;
    }

    synchronized void add(Point point) {
        Point last = points.peekLast();
        if (last != null && point.t() - last.t() < intervalMillis) {
            points.pollLast();
            points.addLast(new Point(last.t(), point.score(), point.latencyMs(), point.state()));
            return;
        }
        points.addLast(point);
        while (points.size() > length) {
            points.pollFirst();
        }
    }

    synchronized List<Point> points() {
        return new ArrayList<>(points);
    }
}
