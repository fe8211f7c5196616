package io.jettyspeed.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Row 6: end to end, from a {@code track-upload start}'s 2xx to its {@code upload_sessions} row
 * being visible in PostgreSQL.
 *
 * <p>Stage {@code b6}: the whole pipeline on topics {@code b6.live.*}: gateway, processors
 * (exactly_once_v2), sink; after an idle check the probe traffic of row 5 ({@code bench.ingest.rate})
 * runs throughout. Upload starts are sent open loop at {@code bench.e2e.rate} (50) per second on
 * four connections, each with a new session id; a warm-up of {@code bench.latency.warmup.ms}, then
 * one measured window of {@code bench.e2e.ms}.
 *
 * <p>Visibility is not polled: for this row the benchmark's database gets an {@code AFTER INSERT}
 * trigger on {@code upload_sessions} that sends the session id with {@code pg_notify}, and
 * PostgreSQL delivers a notification only when the inserting transaction commits, that is when the
 * row becomes visible to every reader. One connection of this JVM listens and stamps each
 * notification when it arrives; the latency is that stamp minus the stamp taken when the 2xx was
 * read, both from this JVM's {@link System#nanoTime()}. Nothing queries the table meanwhile, so
 * the measurement adds no load to the database but the trigger's notification.
 *
 * <p>Line: p99 (target ≤ 400 ms), with the CPU per upload start of every process (probe traffic
 * included).
 */
public final class EndToEndRow extends Row {

    static final String CHANNEL = "bench_session_visible";

    public EndToEndRow() {
        super(6, "row 6: end to end, track-upload 2xx to the upload_sessions row");
    }

    @Override
    protected void run(Lab lab, BenchOptions o, Stage stage, Report report) throws Exception {
        try (Connection listen = lab.db()) {
            Stage.Front front = stage.pipeline();
            try (Statement s = listen.createStatement()) {
                s.execute("CREATE OR REPLACE FUNCTION bench_session_visible() RETURNS trigger LANGUAGE plpgsql AS $$"
                        + " BEGIN PERFORM pg_notify('" + CHANNEL + "', NEW.session_id); RETURN NULL; END $$");
                s.execute("CREATE TRIGGER bench_session_visible AFTER INSERT ON upload_sessions"
                        + " FOR EACH ROW EXECUTE FUNCTION bench_session_visible()");
                s.execute("LISTEN " + CHANNEL);
            }
            try {
                measure(stage, lab, o, front.port(), listen.unwrap(PGConnection.class), report);
            } finally {
                try (Statement s = listen.createStatement()) {
                    s.execute("UNLISTEN " + CHANNEL);
                    s.execute("DROP TRIGGER IF EXISTS bench_session_visible ON upload_sessions");
                }
            }
        }
    }

    private void measure(Stage stage, Lab lab, BenchOptions o, int port, PGConnection pg, Report report) throws Exception {
        Map<String, AtomicLongArray> sessions = new ConcurrentHashMap<>();
        AtomicBoolean listening = new AtomicBoolean(true);
        Thread listener = new Thread(() -> {
            try {
                while (listening.get()) {
                    PGNotification[] notifications = pg.getNotifications(100);
                    long now = System.nanoTime();
                    if (notifications != null) {
                        for (PGNotification n : notifications) {
                            // the first insert makes the row visible; the sink replaces a session's row
                            // (delete and insert) with each later version, which notifies again
                            sessions.computeIfAbsent(n.getParameter(), id -> new AtomicLongArray(2)).compareAndSet(1, 0, now);
                        }
                    }
                }
            } catch (java.sql.SQLException e) {
                Bench.log("listening for notifications failed: " + e);
            }
        }, "bench-e2e-listen");
        listener.setDaemon(true);
        listener.start();

        stage.awaitQuiet("starting the probe traffic");
        try (IngestBackground ingest = new IngestBackground(port, lab.apiKey(), o.ingestRate(), lab.runId() + "-r6")) {
            Bench.log("warm-up at " + o.e2eRate() + " upload starts/s");
            List<String> warm = new ArrayList<>();
            Stage.WarmUp warmUp = stage.warmUpUntilCompiled("row 6",
                    () -> warm.addAll(starts(port, lab, o.e2eRate(), o.latencyWarmUp(), "w" + warm.size() + "-", sessions)));
            CpuMeter.Snapshot t0 = stage.mark();
            List<String> measured = starts(port, lab, o.e2eRate(), o.e2eWindow(), "m", sessions);
            Side side = stage.side("track-upload starts", measured.size(), t0);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && measured.stream().anyMatch(id -> sessions.get(id).get(1) == 0)) {
                Bench.sleep(50);
            }
            listening.set(false);
            listener.join(5_000);
            Histogram h = new Histogram(3_600_000_000L, 3);
            long unseen = 0;
            for (String id : measured) {
                AtomicLongArray t = sessions.get(id);
                if (t.get(1) == 0) {
                    unseen++;
                } else {
                    h.recordValue(Math.max(1, (t.get(1) - t.get(0)) / 1_000));
                }
            }
            report.latency("6", "end to end: track-upload 2xx → upload_sessions row visible", h, side, Report.Target.atMost(400),
                    String.format(Locale.ROOT, "%d upload starts at %d/s after %d warm-up ones; visibility = commit of the"
                            + " sink's transaction, stamped by a LISTEN on an AFTER INSERT trigger's pg_notify (no polling);"
                            + " %d not seen within 30 s; probe traffic %d samples/s (not 2xx: %s); %s",
                            measured.size(), o.e2eRate(), warm.size(), unseen, o.ingestRate(), ingest.failures(), warmUp.describe()));
        }
    }

    private static final Pattern SESSION_ID = Pattern.compile("\"sessionId\"\\s*:\\s*\"([^\"]+)\"");

    /** Sends upload starts at {@code rate} per second for {@code duration}; stamps each 2xx; returns the session ids answered 2xx. */
    private static List<String> starts(int port, Lab lab, int rate, Duration duration, String tag,
            Map<String, AtomicLongArray> sessions) throws InterruptedException {
        long total = rate * duration.toMillis() / 1000;
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime() + 5_000_000L;
        AtomicLong next = new AtomicLong();
        List<String> answered = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            Thread t = new Thread(() -> {
                Random random = new Random();
                try (MiniHttp http = new MiniHttp("localhost", port)) {
                    long i;
                    while ((i = next.getAndIncrement()) < total) {
                        OpenLoop.parkUntil(start + i * period);
                        String body = "{\"action\":\"start\",\"userId\":\"usr_b" + (i % 100)
                                + "\",\"fileName\":\"f.bin\",\"fileSize\":1048576,\"fileHash\":\"" + Payloads.hash(random)
                                + "\",\"chunkSize\":262144,\"totalChunks\":4}";
                        try {
                            MiniHttp.Response r = http.exchange(MiniHttp.post("localhost", port, "/api/jetty/track-upload",
                                    lab.apiKey(), body));
                            long acked = System.nanoTime();
                            if (r.status() / 100 == 2) {
                                // The gateway assigns session ids; a client cannot choose one.
                                Matcher answer = SESSION_ID.matcher(new String(r.body(), StandardCharsets.UTF_8));
                                if (!answer.find()) {
                                    continue;
                                }
                                String session = answer.group(1);
                                sessions.computeIfAbsent(session, id -> new AtomicLongArray(2)).set(0, acked);
                                answered.add(session);
                            }
                        } catch (RuntimeException e) {
                            // counted as not answered
                        }
                    }
                }
            }, "bench-e2e");
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
        if (answered.size() < total) {
            Bench.log((total - answered.size()) + " of " + total + " upload starts were not answered 2xx");
        }
        return answered;
    }
}
