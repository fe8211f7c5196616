package io.jettyspeed.crash;

import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.testing.GatewayHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Steady load through the gateway's HTTP API, as real clients send it: users each uploading files one
 * after another ({@code track-upload start}, four {@code cache-chunk completed}, {@code complete}), and a
 * probe posting edge metrics. Every event has a client event id. A request that fails (connection
 * refused or reset, a timeout, a 5xx, a 429) is <em>not</em> acknowledged and is sent again with the
 * same event id until it is, as a real client does; only a 2xx is an acknowledgement, and only
 * acknowledged events enter the ledger ({@link #expected()}).
 *
 * <p>{@link #pause()} lets every client finish the event it is sending and stop, so the ledger is final
 * while a test compares it with what the pipeline counted; {@link #resume()} goes on.
 */
final class UploadLoad implements AutoCloseable {

    static final long CHUNK_BYTES = 1_048_576L;
    static final int CHUNKS_PER_FILE = 4;
    private static final Duration RETRY_DELAY = Duration.ofMillis(200);
    private static final Duration THINK_TIME = Duration.ofMillis(100);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(250);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final String key;
    private final List<String> users;
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Set<String> acknowledgedChunkEvents = ConcurrentHashMap.newKeySet();
    private final Set<String> acknowledgedSamples = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Long> acknowledgedAt = new ConcurrentLinkedQueue<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicReference<String> fatal = new AtomicReference<>();
    private final Object pauseLock = new Object();
    private boolean paused;
    private int idle;
    private volatile boolean stopped;

    /** One upload session as acknowledged so far. */
    static final class Session {
        final String sessionId;
        final String userId;
        final Set<Integer> chunks = ConcurrentHashMap.newKeySet();
        volatile boolean completed;
        volatile boolean touched = true;

        Session(String sessionId, String userId) {
            this.sessionId = sessionId;
            this.userId = userId;
        }

        String status() {
            return completed ? "completed" : chunks.isEmpty() ? "started" : "uploading";
        }

        long bytesUploaded() {
            return completed ? CHUNKS_PER_FILE * CHUNK_BYTES : chunks.size() * CHUNK_BYTES;
        }
    }

    /** A user's totals as the acknowledged events make them. */
    record UserTotals(long uploadsStarted, long uploadsCompleted, long bytesUploaded, long storageUsedBytes) {
        String row(String userId) {
            return userId + "|" + uploadsStarted + "|" + uploadsCompleted + "|" + bytesUploaded + "|" + storageUsedBytes;
        }
    }

    UploadLoad(int gatewayPort, String key, int users) {
        this.base = "http://localhost:" + gatewayPort;
        this.key = key;
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= users; i++) {
            ids.add("crash_u%02d".formatted(i));
        }
        this.users = List.copyOf(ids);
    }

    List<String> users() {
        return users;
    }

    void start() {
        for (String user : users) {
            threads.add(daemon("load-" + user, () -> uploadLoop(user)));
        }
        threads.add(daemon("load-probe", this::probeLoop));
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Returns once every client has finished the event it was sending and waits. */
    void pause() {
        synchronized (pauseLock) {
            paused = true;
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (idle < threads.size() && fatal.get() == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("clients did not pause within 3 minutes (" + idle + " of "
                            + threads.size() + " idle; an event is still not acknowledged)");
                }
                waitOn(Math.min(left / 1_000_000, 200));
            }
        }
        throwIfFatal();
    }

    void resume() {
        synchronized (pauseLock) {
            paused = false;
            pauseLock.notifyAll();
        }
    }

    @Override
    public void close() {
        stopped = true;
        resume();
        threads.forEach(Thread::interrupt);
    }

    long acknowledged() {
        return acknowledged.get();
    }

    /** Requests that got no acknowledgement (and were sent again). */
    long failedAttempts() {
        return failedAttempts.get();
    }

    /** Waits until at least {@code count} requests are in flight (sent, not answered); returns how many were. */
    int awaitRequestsInFlight(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            int now = inFlight.get();
            if (now >= count) {
                return now;
            }
            Thread.onSpinWait();
        }
        return inFlight.get();
    }

    /** {@link System#nanoTime()} of the first acknowledgement at or after {@code fromNanos}, or -1. */
    long firstAcknowledgementAfter(long fromNanos) {
        return acknowledgedAt.stream().filter(at -> at >= fromNanos).mapToLong(Long::longValue).min().orElse(-1);
    }

    /** The longest time between two acknowledgements (or from {@code fromNanos} to the first) in [from, to]. */
    Duration longestGapBetweenAcknowledgements(long fromNanos, long toNanos) {
        return Gaps.longest(acknowledgedAt, fromNanos, toNanos);
    }

    void throwIfFatal() {
        if (fatal.get() != null) {
            throw new AssertionError("the load generator stopped: " + fatal.get());
        }
    }

    /** Per user, what the acknowledged events add up to (only while paused is it final). */
    Map<String, UserTotals> expected() {
        Map<String, UserTotals> totals = new TreeMap<>();
        for (String user : users) {
            List<Session> own = sessions.values().stream().filter(s -> s.userId.equals(user)).toList();
            if (own.isEmpty()) {
                continue;
            }
            long completed = own.stream().filter(s -> s.completed).count();
            totals.put(user, new UserTotals(own.size(), completed, own.stream().mapToLong(Session::bytesUploaded).sum(),
                    completed * CHUNKS_PER_FILE * CHUNK_BYTES));
        }
        return totals;
    }

    /** Every acknowledged session as {@code sessionId|userId|STATUS|completedChunks}, sorted. */
    List<String> expectedSessionRows() {
        return sessions.values().stream().map(s -> s.sessionId + "|" + s.userId + "|" + s.status().toUpperCase()
                + "|" + s.chunks.size()).sorted().toList();
    }

    Map<String, Session> sessions() {
        return sessions;
    }

    /** The sessions an event was acknowledged for since the last call, which clears the marks. */
    List<Session> takeTouchedSessions() {
        List<Session> touched = sessions.values().stream().filter(s -> s.touched).toList();
        touched.forEach(s -> s.touched = false);
        return touched;
    }

    Set<String> acknowledgedChunkEvents() {
        return Set.copyOf(acknowledgedChunkEvents);
    }

    Set<String> acknowledgedSamples() {
        return Set.copyOf(acknowledgedSamples);
    }

    private void uploadLoop(String user) {
        try {
            for (int file = 1; !stopped; file++) {
                String id = user + "-f" + file;
                String hash = sha256Hex(id);
                awaitNotPaused();
                String sessionId = send("/api/jetty/track-upload", """
                        {"action":"start","userId":"%s","fileName":"%s.bin","fileSize":%d,"fileHash":"sha256:%s",
                         "chunkSize":%d,"totalChunks":%d,"eventId":"%s-start"}""".formatted(user, id,
                        CHUNKS_PER_FILE * CHUNK_BYTES, hash, CHUNK_BYTES, CHUNKS_PER_FILE, id))
                        .get("sessionId").asString();
                Session session = new Session(sessionId, user);
                sessions.put(sessionId, session);
                acknowledgedNow();
                for (int chunk = 0; chunk < CHUNKS_PER_FILE && !stopped; chunk++) {
                    awaitNotPaused();
                    String eventId = id + "-c" + chunk;
                    send("/api/jetty/cache-chunk", """
                            {"sessionId":"%s","userId":"%s","chunkIndex":%d,"status":"completed","edgeId":"%s",
                             "chunkSize":%d,"durationMs":80,"eventId":"%s"}""".formatted(sessionId, user, chunk,
                            EdgeCatalog.EDGES.get(chunk).edgeId(), CHUNK_BYTES, eventId));
                    session.chunks.add(chunk);
                    session.touched = true;
                    acknowledgedChunkEvents.add(eventId);
                    acknowledgedNow();
                }
                awaitNotPaused();
                send("/api/jetty/track-upload", """
                        {"action":"complete","userId":"%s","sessionId":"%s","fileHash":"%s","bytesUploaded":%d,
                         "eventId":"%s-done"}""".formatted(user, sessionId, hash, CHUNKS_PER_FILE * CHUNK_BYTES, id));
                session.completed = true;
                session.touched = true;
                acknowledgedNow();
            }
        } catch (InterruptedException e) {
            // stopped
        } catch (RuntimeException e) {
            fatal.compareAndSet(null, user + ": " + e);
        } finally {
            markIdleForever();
        }
    }

    private void probeLoop() {
        try {
            for (long round = 1; !stopped; round++) {
                awaitNotPaused();
                String first = "probe-" + round + "-a";
                String second = "probe-" + round + "-b";
                send("/api/jetty/edge-metrics", """
                        {"samples":[{"edgeId":"edge-sfo","latencyMs":40,"bandwidthMbps":800,"load":0.2,"errorRate":0.0,"eventId":"%s"},
                                    {"edgeId":"edge-fra","latencyMs":60,"bandwidthMbps":600,"load":0.3,"errorRate":0.01,"eventId":"%s"}]}"""
                        .formatted(first, second));
                acknowledgedSamples.add(first);
                acknowledgedSamples.add(second);
                acknowledgedNow();
                Thread.sleep(PROBE_INTERVAL.toMillis());
            }
        } catch (InterruptedException e) {
            // stopped
        } catch (RuntimeException e) {
            fatal.compareAndSet(null, "probe: " + e);
        } finally {
            markIdleForever();
        }
    }

    private void acknowledgedNow() {
        acknowledgedAt.add(System.nanoTime());
        acknowledged.incrementAndGet();
    }

    /**
     * Sends until acknowledged (2xx); a failure without an answer, a 5xx or a 429 is sent again after a
     * short delay with the same body, event id included. Anything else (400, 403) is a bug of the test.
     */
    private tools.jackson.databind.JsonNode send(String path, String json) throws InterruptedException {
        while (!stopped) {
            inFlight.incrementAndGet();
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(REQUEST_TIMEOUT)
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    Thread.sleep(THINK_TIME.toMillis());
                    return GatewayHttp.JSON.readTree(response.body());
                }
                if (status < 500 && status != 429) {
                    throw new IllegalStateException(path + " answered " + status + " " + response.body() + " to " + json);
                }
            } catch (IOException e) {
                // no answer: the gateway is down or the connection broke; not acknowledged
            } finally {
                inFlight.decrementAndGet();
            }
            failedAttempts.incrementAndGet();
            Thread.sleep(RETRY_DELAY.toMillis());
        }
        throw new InterruptedException("stopped");
    }

    private void awaitNotPaused() throws InterruptedException {
        synchronized (pauseLock) {
            if (!paused) {
                return;
            }
            idle++;
            pauseLock.notifyAll();
            try {
                while (paused && !stopped) {
                    pauseLock.wait();
                }
            } finally {
                idle--;
            }
        }
        if (stopped) {
            throw new InterruptedException("stopped");
        }
    }

    private void markIdleForever() {
        synchronized (pauseLock) {
            idle++;
            pauseLock.notifyAll();
        }
    }

    private void waitOn(long millis) {
        try {
            pauseLock.wait(Math.max(1, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String sha256Hex(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> rows(Map<String, UserTotals> totals) {
        Map<String, String> rows = new LinkedHashMap<>();
        totals.forEach((user, t) -> rows.put(user, t.row(user)));
        return rows;
    }
}
