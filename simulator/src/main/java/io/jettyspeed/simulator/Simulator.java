package io.jettyspeed.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Synthetic traffic against a gateway, through its public HTTP API only: the edge probes report
 * every {@code probeInterval} in one {@code edge-metrics} batch, with one edge degrading and
 * recovering in a cycle; uploads arrive at the configured rate ({@link Workload}) and each runs
 * as an {@link UploadRun}. After {@code duration} no new uploads start; those in flight get a short
 * drain to finish, then everything stops. Usable on its own ({@link #main}) or in-process (the
 * local launcher's {@code --simulate}).
 */
public final class Simulator implements AutoCloseable {

    private final SimulatorOptions options;
    private final Consumer<String> log;
    private final SimulatorStats stats = new SimulatorStats();
    private final GatewayClient client;
    private final ScheduledExecutorService scheduler;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long startedAtNanos;
    private DegradationCycle cycle;
    private EdgeProbes probes;
    private Workload workload;

    public Simulator(SimulatorOptions options, Consumer<String> log) {
        this.options = options;
        this.log = log;
        this.client = new GatewayClient(options.url(), options.apiKey(), stats, log);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(options.threads() + 1, runnable -> {
            Thread thread = new Thread(runnable, "simulator");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.scheduler = executor;
    }

    public static void main(String[] args) {
        SimulatorOptions options;
        try {
            options = SimulatorOptions.parse(args, System.getenv());
        } catch (SimulatorOptions.HelpRequested help) {
            System.out.println(SimulatorOptions.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("simulator: " + e.getMessage());
            System.err.println(SimulatorOptions.USAGE);
            System.exit(2);
            return;
        }
        Simulator simulator = new Simulator(options, line -> System.out.println("simulator: " + line));
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "simulator-shutdown"));
        try {
            simulator.start();
            simulator.awaitFinished();
        } catch (IllegalStateException e) {
            System.err.println("simulator: " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Learns the edges from the gateway, then starts the probes, the uploads and the progress line. */
    public void start() {
        List<SimEdge> edges = fetchEdges();
        if (edges.stream().noneMatch(e -> e.edgeId().equals(options.badEdge()))) {
            throw new IllegalStateException("--bad-edge " + options.badEdge() + " is not one of the gateway's edges");
        }
        List<SimUser> users = Population.generate(options.users(), edges, options.seed());
        cycle = new DegradationCycle(options.cycle());
        probes = new EdgeProbes(edges, options.badEdge(), options.seed());
        workload = new Workload(users, options);
        startedAtNanos = System.nanoTime();
        log.accept(String.format("%d users, %.0f uploads/min, %s, seed %d, run %s; %d edge probes every %d ms; %s "
                        + "degrades and recovers every %ds",
                users.size(), options.uploadsPerMinute(),
                options.runsUntilStopped() ? "until stopped" : "for " + options.duration().toSeconds() + "s",
                options.seed(), options.runId(), edges.size(), options.probeInterval().toMillis(), options.badEdge(),
                options.cycle().toSeconds()));
        scheduler.scheduleAtFixedRate(this::probe, 0, options.probeInterval().toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(() -> log.accept(progressLine()), 10, 10, TimeUnit.SECONDS);
        scheduler.execute(this::launchDue);
        if (!options.runsUntilStopped()) {
            scheduler.schedule(this::drainThenStop, options.duration().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public SimulatorStats stats() {
        return stats;
    }

    public void awaitFinished() throws InterruptedException {
        finished.await();
    }

    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops at once: no new requests are started; those on the wire finish. */
    @Override
    public void close() {
        if (stopping.getAndSet(true) && finished.getCount() == 0) {
            return;
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (finished.getCount() > 0) {
            if (startedAtNanos != 0) {
                log.accept("stopped; " + stats.line());
            }
            finished.countDown();
        }
    }

    private List<SimEdge> fetchEdges() {
        GatewayClient.Reply reply = client.get("/api/jetty/edges");
        if (!reply.ok()) {
            throw new IllegalStateException("cannot list the edges at " + options.url() + "/api/jetty/edges: "
                    + (reply.status() == 0 ? "unreachable" : "HTTP " + reply.status() + " " + reply.body()));
        }
        List<SimEdge> edges = new ArrayList<>();
        for (JsonNode edge : reply.body().path("edges")) {
            edges.add(new SimEdge(edge.path("edgeId").asString(), edge.path("city").asString(),
                    edge.path("lat").asDouble(), edge.path("lng").asDouble()));
        }
        if (edges.isEmpty()) {
            throw new IllegalStateException("the gateway lists no edges");
        }
        return edges;
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedAtNanos);
    }

    private void probe() {
        Duration elapsed = elapsed();
        List<Map<String, Object>> samples = probes.samples(elapsed.toMillis() / 1000.0, cycle.severity(elapsed));
        if (client.post("/api/jetty/edge-metrics", Map.of("samples", samples)).ok()) {
            stats.probeBatches.increment();
        }
    }

    /** Starts every upload whose time has come, then sleeps until the next one is due. */
    private void launchDue() {
        if (stopping.get()) {
            return;
        }
        long now = elapsed().toMillis();
        UploadScenario next;
        while ((next = peekScenario()).startAtMillis() <= now) {
            pendingScenario = null;
            UploadRun run = new UploadRun(next, new UploadRun.Context(client, stats, options.runId(), options.badEdge(),
                    () -> cycle.severity(elapsed())));
            inFlight.incrementAndGet();
            scheduler.execute(() -> drive(run));
        }
        schedule(this::launchDue, Math.max(1, next.startAtMillis() - now));
    }

    private UploadScenario pendingScenario;

    private UploadScenario peekScenario() {
        if (pendingScenario == null) {
            pendingScenario = workload.next();
        }
        return pendingScenario;
    }

    private void drive(UploadRun run) {
        long delay;
        try {
            delay = run.step();
        } catch (RuntimeException e) {
            log.accept("upload " + run.scenario().index() + " failed in the simulator: " + e);
            delay = -1;
        }
        if (delay < 0) {
            inFlight.decrementAndGet();
            return;
        }
        schedule(() -> drive(run), delay);
    }

    private void schedule(Runnable task, long delayMillis) {
        try {
            scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // shutting down
        }
    }

    private void drainThenStop() {
        stopping.set(true);
        log.accept("duration reached; letting " + inFlight.get() + " uploads in flight finish (up to "
                + options.drain().toSeconds() + "s)");
        long deadline = System.nanoTime() + options.drain().toNanos();
        Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "simulator-drain");
            t.setDaemon(true);
            return t;
        }).execute(() -> {
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
            scheduler.shutdownNow();
            log.accept("done; " + stats.line());
            finished.countDown();
        });
    }

    private String progressLine() {
        Duration elapsed = elapsed();
        return String.format("%ds: %s is %s | %d uploads in flight | %s", elapsed.toSeconds(), options.badEdge(),
                cycle.phase(elapsed), inFlight.get(), stats.line());
    }
}
