package io.jettyspeed.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The simulator's random generators: deterministic for a seed, and shaped as documented. */
class GeneratorsTest {

    static final List<SimEdge> EDGES = List.of(
            new SimEdge("edge-sfo", "San Francisco", 37.7749, -122.4194),
            new SimEdge("edge-fra", "Frankfurt", 50.1109, 8.6821),
            new SimEdge("edge-sin", "Singapore", 1.3521, 103.8198),
            new SimEdge("edge-syd", "Sydney", -33.8688, 151.2093));

    static SimulatorOptions options(long seed) {
        return SimulatorOptions.defaults(URI.create("http://localhost:8080"), "ac_test").withRunId("run1")
                .withRate(60);
    }

    static List<UploadScenario> scenarios(long seed, int count) {
        SimulatorOptions options = new SimulatorOptions(URI.create("http://localhost:8080"), "ac_test", 50, 60,
                Duration.ofMinutes(10), seed, "run1", "edge-fra", Duration.ofMinutes(4), Duration.ofSeconds(1), 0.2,
                0.1, 0.05, 8, Duration.ofSeconds(15));
        Workload workload = new Workload(Population.generate(50, EDGES, seed), options);
        return IntStream.range(0, count).mapToObj(i -> workload.next()).toList();
    }

    @Test
    void shouldGenerateTheSameWorkloadForTheSameSeedAndRun() {
        // when
        List<UploadScenario> first = scenarios(42, 500);
        List<UploadScenario> second = scenarios(42, 500);
        List<UploadScenario> other = scenarios(43, 500);

        // then
        assertThat(first).isEqualTo(second);
        assertThat(first).isNotEqualTo(other);
    }

    @Test
    void shouldArriveAtTheConfiguredRate() {
        // when: 2000 uploads at 60 per minute
        List<UploadScenario> scenarios = scenarios(7, 2000);

        // then: they span about 2000 seconds, in increasing order
        long last = scenarios.get(scenarios.size() - 1).startAtMillis();
        assertThat(last / 1000.0).isCloseTo(2000, within(150.0));
        assertThat(scenarios).extracting(UploadScenario::startAtMillis).isSorted();
    }

    @Test
    void shouldMixDuplicatesFailuresAndResumesInTheConfiguredShares() {
        // when
        List<UploadScenario> scenarios = scenarios(42, 5000);

        // then
        double duplicates = scenarios.stream().filter(UploadScenario::isDuplicate).count() / 5000.0;
        double failures = scenarios.stream().filter(s -> s.outcome() == UploadScenario.Outcome.FAIL).count() / 5000.0;
        double resumes = scenarios.stream().filter(s -> s.outcome() == UploadScenario.Outcome.RESUME).count() / 5000.0;
        assertThat(duplicates).isCloseTo(0.2, within(0.03));
        assertThat(failures).isCloseTo(0.05, within(0.015));
        assertThat(resumes).isCloseTo(0.1, within(0.02));
        assertThat(scenarios).allSatisfy(s -> assertThat(s.interruptAt()).isBetween(0.2, 0.8));
    }

    @Test
    void shouldGiveADuplicateTheContentOfAnEarlierUploadThatWasNotMeantToFail() {
        // when
        List<UploadScenario> scenarios = scenarios(42, 1000);

        // then
        assertThat(scenarios).filteredOn(UploadScenario::isDuplicate).isNotEmpty().allSatisfy(dup -> {
            UploadScenario original = scenarios.get(dup.duplicateOf());
            assertThat(original.index()).isLessThan(dup.index());
            assertThat(original.isDuplicate()).isFalse();
            assertThat(original.outcome()).isNotEqualTo(UploadScenario.Outcome.FAIL);
            assertThat(dup.fileHash()).isEqualTo(original.fileHash());
            assertThat(dup.fileSize()).isEqualTo(original.fileSize());
        });
        assertThat(scenarios).filteredOn(s -> !s.isDuplicate()).extracting(UploadScenario::fileHash)
                .doesNotHaveDuplicates()
                .allSatisfy(hash -> assertThat(hash).matches("sha256:[0-9a-f]{64}"));
    }

    @Test
    void shouldSaltFileHashesWithTheRunSoThatASecondRunIsNewContent() {
        assertThat(Workload.hash(42, "run1", 0)).isNotEqualTo(Workload.hash(42, "run2", 0));
        assertThat(Workload.hash(42, "run1", 0)).isEqualTo(Workload.hash(42, "run1", 0));
    }

    @Test
    void shouldDrawFileSizesFromKilobytesToGigabytesAroundAFewMegabytes() {
        // when
        Random random = new Random(1);
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            sizes.add(FileSizes.next(random));
        }
        sizes.sort(Long::compare);

        // then: log-normal with a median of 24 MiB, a tail into gigabytes, a head of small files
        long median = sizes.get(sizes.size() / 2);
        assertThat(median).isBetween(20L << 20, 29L << 20);
        assertThat(sizes).allSatisfy(size -> assertThat(size).isBetween(FileSizes.MIN, FileSizes.MAX));
        assertThat(sizes.stream().filter(s -> s < (1L << 20)).count()).isGreaterThan(500);
        assertThat(sizes.stream().filter(s -> s > (1L << 30)).count()).isGreaterThan(200);
    }

    @Test
    void shouldPlaceUsersNearEdgesWithPlansAndTwoDevices() {
        // when
        List<SimUser> users = Population.generate(200, EDGES, 42);

        // then
        assertThat(users).hasSize(200).isEqualTo(Population.generate(200, EDGES, 42));
        assertThat(users).extracting(SimUser::userId).doesNotHaveDuplicates().contains("usr_sim_0001", "usr_sim_0200");
        assertThat(users).allSatisfy(user -> {
            assertThat(user.lat()).isBetween(-90.0, 90.0);
            assertThat(user.lng()).isBetween(-180.0, 180.0);
            assertThat(user.plan()).isIn("starter", "pro", "business");
            assertThat(user.primaryDevice()).isNotEqualTo(user.secondDevice());
            assertThat(user.uplinkMbps()).isBetween(10.0, 1000.0);
        });
        assertThat(users).extracting(SimUser::homeEdge).containsOnly("edge-sfo", "edge-fra", "edge-sin", "edge-syd");
    }

    @Test
    void shouldDegradeAndRecoverTheBadEdgeInEachCycle() {
        DegradationCycle cycle = new DegradationCycle(Duration.ofMinutes(4));

        assertThat(cycle.severity(Duration.ZERO)).isZero();
        assertThat(cycle.severity(Duration.ofSeconds(59))).isZero();
        assertThat(cycle.severity(Duration.ofSeconds(84))).isCloseTo(0.5, within(0.01));
        assertThat(cycle.severity(Duration.ofSeconds(120))).isEqualTo(1.0);
        assertThat(cycle.severity(Duration.ofSeconds(168))).isOne();
        assertThat(cycle.severity(Duration.ofSeconds(192))).isCloseTo(0.5, within(0.01));
        assertThat(cycle.severity(Duration.ofSeconds(220))).isZero();
        assertThat(cycle.severity(Duration.ofSeconds(240 + 120))).isEqualTo(1.0);
        assertThat(cycle.phase(Duration.ofSeconds(10))).isEqualTo("healthy");
        assertThat(cycle.phase(Duration.ofSeconds(70))).isEqualTo("degrading");
        assertThat(cycle.phase(Duration.ofSeconds(130))).isEqualTo("bad");
        assertThat(cycle.phase(Duration.ofSeconds(180))).isEqualTo("recovering");
    }

    @Test
    void shouldReportEveryEdgeAndMakeOnlyTheBadEdgeLookBad() {
        // given
        EdgeProbes probes = new EdgeProbes(EDGES, "edge-fra", 42);

        // when
        List<Map<String, Object>> healthy = probes.samples(1, 0);
        List<Map<String, Object>> worst = probes.samples(2, 1);

        // then: every edge, every field the edge-metrics endpoint requires, within its bounds
        assertThat(healthy).extracting(s -> s.get("edgeId")).containsExactly("edge-sfo", "edge-fra", "edge-sin", "edge-syd");
        for (Map<String, Object> sample : healthy) {
            assertThat((double) sample.get("latencyMs")).isBetween(1.0, 100.0);
            assertThat((double) sample.get("bandwidthMbps")).isBetween(300.0, 1200.0);
            assertThat((double) sample.get("load")).isBetween(0.0, 1.0);
            assertThat((double) sample.get("errorRate")).isBetween(0.0, 0.02);
        }
        Map<String, Object> bad = worst.get(1);
        assertThat((double) bad.get("latencyMs")).isGreaterThan(900.0);
        assertThat((double) bad.get("errorRate")).isGreaterThanOrEqualTo(0.5);
        assertThat((double) bad.get("bandwidthMbps")).isLessThan(250.0);
        assertThat((double) worst.get(0).get("errorRate")).isLessThan(0.05);
        assertThat(new EdgeProbes(EDGES, "edge-fra", 42).samples(1, 0)).isEqualTo(healthy);
    }

    @Test
    void shouldReadOptionsAndDurations() {
        SimulatorOptions options = SimulatorOptions.parse(new String[] {"--url", "http://127.0.0.1:9090/", "--rate=120",
                "--duration", "90s", "--seed", "7", "--users", "5"}, Map.of("JETTY_API_KEY", "ac_x_y"));

        assertThat(options.url().toString()).isEqualTo("http://127.0.0.1:9090");
        assertThat(options.apiKey()).isEqualTo("ac_x_y");
        assertThat(options.uploadsPerMinute()).isEqualTo(120);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(options.seed()).isEqualTo(7);
        assertThat(options.users()).isEqualTo(5);
        assertThat(SimulatorOptions.duration("1h30m", "--d")).isEqualTo(Duration.ofMinutes(90));
        assertThat(SimulatorOptions.duration("0", "--d")).isZero();
        assertThat(SimulatorOptions.duration("250ms", "--d")).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> SimulatorOptions.duration("ten minutes", "--duration"))
                .hasMessageContaining("--duration");
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--rate", "5"}, Map.of()))
                .hasMessageContaining("API key");
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--key", "k", "--bogus", "1"}, Map.of()))
                .hasMessageContaining("--bogus");
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--key", "k", "--failures", "2"}, Map.of()))
                .hasMessageContaining("0..1");
    }
}
