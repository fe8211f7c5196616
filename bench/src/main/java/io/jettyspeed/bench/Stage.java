package io.jettyspeed.bench;

import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One row's world: the services it needs and nothing else, on topics of its own. Everything of a
 * stage is named with its prefix ({@code b3.}): its topics ({@code b3.eos.jetty.edge-metrics.v1}),
 * the Streams application ids and so their repartition and changelog topics and consumer groups
 * ({@code b3.eos.processors-edge-health}), the sink's group ({@code b4.sink.sink}). So no stage ever
 * works on another row's records, and "every group of the stage at the end" is a question about
 * names only. Closing a stage records each service's peak RSS, stops its JVMs and deletes its topics.
 */
public final class Stage implements AutoCloseable {

    private final Lab lab;
    private final String id;
    private final String prefix;
    private final List<Child> children = new ArrayList<>();
    private final Admin admin;
    private final KafkaProgress progress;
    private final IdleCheck idle;

    Stage(Lab lab, String id, String title) {
        this.lab = lab;
        this.id = id;
        this.prefix = id + ".";
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, lab.bootstrap()));
        this.progress = new KafkaProgress(admin, lab.bootstrap());
        this.idle = new IdleCheck(progress, lab.meter(), () -> lab.processes(children, true), lab.options());
        Bench.log("── " + title + " (stage " + id + ")");
    }

    public Lab lab() {
        return lab;
    }

    public String id() {
        return id;
    }

    /** The catalogue's topics under {@code <stage>.<side>.}, created now (6 partitions, as in production). */
    public Topics topics(String side) {
        Topics topics = Topics.of(prefix + side + ".", Topics.DEFAULT_PARTITIONS);
        List<NewTopic> create = new ArrayList<>();
        for (Topic<?, ?> topic : topics.all()) {
            create.add(topic.toNewTopic((short) 1));
        }
        try {
            admin.createTopics(create).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the topics of " + topics.prefix(), e);
        }
        return topics;
    }

    /** The gateway on {@code topics}, with the benchmark's {@link EmptyEndpoint}. */
    public Child gateway(Topics topics) {
        Map<String, Object> p = common();
        p.putAll(database());
        p.put("jetty.gateway.topic-prefix", topics.prefix());
        // All the load comes from one address standing for many clients: the per-address limit of requests in
        // progress (32, against one hostile client) would answer 429 to the read row's 32 connections plus probes.
        p.put("jetty.gateway.max-requests-per-client", 4096);
        if (!lab.options().lingerMs().isBlank()) {
            p.put("spring.kafka.producer.properties.linger.ms", lab.options().lingerMs());
        }
        return start("gateway", "gateway", p);
    }

    /**
     * The stream processors (all four topologies) on {@code topics}, as Streams applications
     * {@code <topics prefix>processors-<topology>}, with the given processing guarantee.
     */
    public Child processors(String name, Topics topics, String guarantee) {
        String applicationId = topics.prefix() + "processors";
        Map<String, Object> p = common();
        p.put("jetty.processors.bootstrap-servers", lab.bootstrap());
        p.put("jetty.processors.topic-prefix", topics.prefix());
        p.put("jetty.processors.application-id", applicationId);
        p.put("jetty.processors.processing-guarantee", guarantee);
        p.put("jetty.processors.state-dir", lab.options().out().resolve("run/streams-" + applicationId).toAbsolutePath());
        return start(name, "processors", p);
    }

    /** The sink on {@code topics}, consumer group {@code <topics prefix>sink}. */
    public Child sink(Topics topics) {
        Map<String, Object> p = common();
        p.putAll(database());
        p.put("jetty.sink.topic-prefix", topics.prefix());
        p.put("jetty.sink.group-id", topics.prefix() + "sink");
        return start("sink", "sink", p);
    }

    /** The topics a row's requests go to and the port of the gateway that takes them. */
    public record Front(Topics topics, int port) {
    }

    /** The gateway alone on topics {@code <stage>.gw.}, ready; nothing consumes. */
    public Front gatewayAlone() {
        Topics topics = topics("gw");
        Child gateway = gateway(topics);
        awaitReady();
        return new Front(topics, gateway.port());
    }

    /** The whole pipeline live on topics {@code <stage>.live.}, ready: gateway, processors (exactly once) and sink. */
    public Front pipeline() {
        Topics topics = topics("live");
        Child gateway = gateway(topics);
        processors("processors", topics, "exactly_once_v2");
        sink(topics);
        awaitReady();
        return new Front(topics, gateway.port());
    }

    /** Waits until every service of the stage reports healthy (the gateway only once its state views caught up). */
    public void awaitReady() {
        long started = System.nanoTime();
        for (Child child : children) {
            child.awaitHealthy(Duration.ofSeconds(240));
        }
        Bench.log(String.format(java.util.Locale.ROOT, "services up: %s (%.0f s)",
                children.stream().map(c -> c.name() + " -Xmx" + c.heap()).toList(), (System.nanoTime() - started) / 1e9));
    }

    public Child child(String name) {
        return children.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + name + " in stage " + id));
    }

    /** Waits until every group of the stage is at the end and our processes are idle; logs and records the check. */
    public IdleCheck.Result awaitQuiet(String before) {
        IdleCheck.Result result = idle.awaitQuiet(List.of(prefix));
        String line = "row " + id.substring(1) + ", before " + before + ": " + result.describe();
        Bench.log("  idle check " + line.substring(line.indexOf(':') + 2));
        lab.recordIdleCheck(line);
        return result;
    }

    /** One warm-up round at a row's load. */
    public interface WarmUpRound {
        void run() throws Exception;
    }

    /** How a warm-up went: its rounds, the JIT's use in the last one (the busiest service's), and whether that was settled. */
    public record WarmUp(int rounds, double lastRoundJitCores, boolean settled, Duration took) {

        public String describe() {
            return String.format(java.util.Locale.ROOT, "warm-up %d round(s), %.0f s, %s (JIT compilers %.2f cores in the last round)",
                    rounds, took.toMillis() / 1e3, settled ? "JIT settled" : "JIT NOT SETTLED", lastRoundJitCores);
        }
    }

    /**
     * Repeats {@code round} until the just-in-time compilers of every service of the stage, and of this
     * JVM (the load generators and the raw clients), used at most {@code bench.jit.settled.cores} during
     * a round, or {@code bench.latency.warmup.max.ms} has passed.
     * A latency row measured while the services still compile its path measures the compilers: on two
     * cores a fresh gateway compiled for a minute of load (C1 and C2 together ~1.5 cores).
     *
     * <p>A round lasts at least one window ({@code bench.window.ms}): {@code round} runs again until it
     * has. Row 2's round (250 batches) took 0.2 s, one quiet fifth of a second ended its warm-up, and
     * C2 then compiled Tomcat's and Spring's per-request methods inside the measured windows (1.2 s of
     * compiling in one 3 s window of its JFR): the batch row sends a hundredth of the requests per event,
     * so those methods reached C2's thresholds only then. This JVM is watched too since its raw sides
     * are measured against the services: row 2's raw producer sped up from pair to pair (218,000 to
     * 450,000 records/s) while nothing else changed.
     */
    public WarmUp warmUpUntilCompiled(String what, WarmUpRound round) throws Exception {
        BenchOptions o = lab.options();
        long started = System.nanoTime();
        long deadline = started + o.latencyWarmUpMax().toNanos();
        int rounds = 0;
        double busiest;
        boolean settled;
        do {
            Map<String, Long> pids = new LinkedHashMap<>();
            children.forEach(child -> pids.put(child.name(), child.pid()));
            pids.put("load generator", ProcessHandle.current().pid());
            Map<String, Map<Long, Long>> before = new LinkedHashMap<>();
            pids.forEach((name, pid) -> before.put(name, ProcStat.jitCpuNanosByThread(pid)));
            long roundStart = System.nanoTime();
            do {
                round.run();
            } while (System.nanoTime() - roundStart < o.window().toNanos());
            long wall = Math.max(1, System.nanoTime() - roundStart);
            busiest = 0;
            String busiestName = "-";
            for (Map.Entry<String, Map<Long, Long>> entry : before.entrySet()) {
                long used = ProcStat.jitNanosBetween(entry.getValue(), ProcStat.jitCpuNanosByThread(pids.get(entry.getKey())));
                double cores = used / (double) wall;
                if (cores >= busiest) {
                    busiest = cores;
                    busiestName = entry.getKey();
                }
            }
            rounds++;
            settled = busiest <= o.jitSettledCores();
            Bench.log(String.format(java.util.Locale.ROOT, "  %s warm-up round %d: JIT compilers at most %.2f cores (%s)",
                    what, rounds, busiest, busiestName));
        } while (!settled && System.nanoTime() < deadline);
        return new WarmUp(rounds, busiest, settled, Duration.ofNanos(System.nanoTime() - started));
    }

    /** The CPU counters of every process now; the start of a window. */
    public CpuMeter.Snapshot mark() {
        return lab.meter().snapshot(lab.processes(children, true));
    }

    /** Like {@link #mark()} without listing the database's backends again: for reads every few ms. */
    private CpuMeter.Snapshot markAgain() {
        return lab.meter().snapshot(lab.processes(children, false));
    }

    /** The window from {@code start} until now, with {@code events} done in it. */
    public Side side(String label, long events, CpuMeter.Snapshot start) {
        return side(label, events, start, mark());
    }

    public static Side side(String label, long events, CpuMeter.Snapshot start, CpuMeter.Snapshot end) {
        CpuMeter.Usage usage = CpuMeter.between(start, end);
        return new Side(label, events, usage.seconds(), usage);
    }

    /**
     * Waits until the groups named with {@code prefixes} have consumed everything, {@code required}
     * topics included, and nothing has moved for the settle time; returns the counters taken when
     * everything was first seen consumed.
     */
    public CpuMeter.Snapshot awaitConsumed(List<String> prefixes, Set<String> required, Duration timeout) {
        return idle.awaitConsumed(prefixes, required, timeout, this::markAgain);
    }

    public KafkaProgress progress() {
        return progress;
    }

    /**
     * Every service runs from its own executable jar, as deployed: on the benchmark's class path the services loaded
     * the others' libraries and auto-configurations too (the processors' JVM started springdoc, the gateway's
     * initialised the broker's log4j-core), which their CPU and peak RSS then carried. The gateway's jar gets the
     * benchmark's {@link EmptyEndpoint} beside it, through {@link ServiceMain}.
     */
    private Child.Launch launch(String service) {
        return switch (service) {
            case "processors" -> Child.Launch.executableJar("stream-processors");
            case "sink" -> Child.Launch.executableJar("sink-postgres");
            case "gateway" -> Child.Launch.executableJarWith("api-gateway", lab.options().out().resolve("gateway-classes"),
                    ServiceMain.class, List.of(ServiceMain.class, EmptyEndpoint.class), List.of(service));
            default -> throw new IllegalArgumentException("no service " + service);
        };
    }

    private Child start(String name, String service, Map<String, Object> properties) {
        int port = Child.freePort();
        properties.put("server.port", port);
        properties.putAll(lab.options().settings().getOrDefault(service, Map.of()));
        List<String> jvm = new ArrayList<>(Arrays.asList(lab.options().jvmOptions().trim().split("\\s+")));
        jvm.removeIf(String::isBlank);
        if (lab.options().profile().equals(service)) {
            Path jfr = lab.options().out().resolve(id + "-" + name + ".jfr").toAbsolutePath();
            jvm.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
        }
        Child child = lab.track(Child.start(name, service, lab.options().heap(service), jvm, launch(service), properties,
                port, lab.options().out().resolve("logs/" + id)));
        children.add(child);
        return child;
    }

    private Map<String, Object> common() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.kafka.bootstrap-servers", lab.bootstrap());
        p.put("logging.level.org.apache.kafka", "WARN");
        p.put("logging.level.kafka", "WARN");
        p.put("logging.level.state.change.logger", "WARN");
        p.put("logging.level.org.springframework", "WARN");
        return p;
    }

    private Map<String, Object> database() {
        return Map.of("spring.datasource.url", lab.dbUrl(), "spring.datasource.username", "postgres",
                "spring.datasource.password", "");
    }

    /** Records each service's peak RSS, stops the services (all at once) and deletes the stage's topics. */
    @Override
    public void close() {
        for (Child child : children) {
            lab.recordPeak(new Lab.Peak(child.service(), child.name(), id, child.heap(), child.peakRssBytes()));
        }
        CompletableFuture.allOf(children.stream().map(c -> CompletableFuture.runAsync(c::close))
                .toArray(CompletableFuture[]::new)).join();
        children.clear();
        try {
            progress.deleteTopics(List.of(prefix));
        } catch (RuntimeException e) {
            Bench.log("could not delete the topics of stage " + id + ": " + e.getMessage());
        }
        progress.close();
        admin.close();
    }
}
