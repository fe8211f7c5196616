package io.jettyspeed.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The edge-probe traffic behind rows 5 and 6: {@code rate} samples per second posted to
 * {@code /api/jetty/edge-metrics} in batches of 20 (the twenty edges, one sample each), open loop on
 * four connections. It keeps every edge fresh, and it is work for the gateway, the processors (edge
 * health) and the sink, as probe traffic is in production.
 */
public final class IngestBackground implements AutoCloseable {

    static final int PER_REQUEST = 20;

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong requests = new AtomicLong();
    private final Failures failures = new Failures();
    private final List<Thread> threads = new ArrayList<>();

    public IngestBackground(int gatewayPort, String apiKey, int rate, String tag) {
        long perSecond = Math.max(1, rate / PER_REQUEST);
        long start = System.nanoTime();
        AtomicLong seq = new AtomicLong();
        for (int w = 0; w < 4; w++) {
            Thread t = new Thread(() -> {
                Random random = new Random();
                try (MiniHttp http = new MiniHttp("localhost", gatewayPort)) {
                    while (!stop.get()) {
                        long i = seq.getAndIncrement();
                        OpenLoop.parkUntil(start + i * 1_000_000_000L / perSecond);
                        String body = Payloads.samplesBody(
                                Payloads.edgeSamples("b-" + tag + "-in" + i + "-", PER_REQUEST, Instant.now(), random));
                        try {
                            MiniHttp.Response r = http.exchange(MiniHttp.post("localhost", gatewayPort,
                                    "/api/jetty/edge-metrics", apiKey, body));
                            if (r.status() / 100 != 2) {
                                failures.status(r.status());
                            }
                        } catch (RuntimeException e) {
                            failures.exception(e);
                        }
                        requests.incrementAndGet();
                    }
                }
            }, "bench-ingest");
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    public long requests() {
        return requests.get();
    }

    /** The probe requests that were not 2xx, by status. */
    public Failures failures() {
        return failures;
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(10_000);
        }
    }
}
