package io.jettyspeed.bench;

import static io.jettyspeed.bench.PairsTest.side;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    static Report sample() {
        Side post = side("single-event POST", 1_000, Map.of("gateway", 300_000_000L, "broker", 100_000_000L));
        Side empty = side("empty endpoint", 4_000, Map.of("gateway", 400_000_000L));
        Side raw = side("raw KafkaProducer", 2_000, Map.of("broker", 200_000_000L, "load generator", 100_000_000L));
        Pairs postVsEmpty = new Pairs();
        postVsEmpty.add(post, empty);
        Pairs postVsRaw = new Pairs();
        postVsRaw.add(post, raw);
        Report report = new Report();
        report.cpuRatio("1", "gateway CPU per POST ÷ per empty request", "gateway", postVsEmpty,
                Report.Target.atMost(2), "same filters");
        report.ratio("1", "single-event POST ÷ raw KafkaProducer", "events/s", postVsRaw, Report.Target.atLeast(0.5),
                "16 threads");
        report.memory("7", "peak RSS gateway", 250_000_000L, Report.Target.atMost(300), "VmHWM, -Xmx256m");
        report.heading(new Provenance("0123456789abcdef0123456789abcdef01234567", "wave1-bench", List.of()),
                "2026-12-01 10:00 UTC: 2 CPUs");
        report.idleChecks(List.of("row 1, before empty endpoint, pair 1: quiet after 0.5 s: ...",
                "row 1, before single-event POST, pair 1: quiet after 0.6 s: ..."));
        report.info("total seconds", 12.34);
        return report;
    }

    @Test
    void shouldWriteTheReadmeTableHeadedByTheCommitWithCpuPerProcessBelow() {
        // when
        String markdown = sample().markdown();

        // then: exactly the block the README shows
        assertThat(markdown).isEqualTo("""
                Produced by `./jettyspeed bench` from commit `0123456789ab` on wave1-bench (clean tree), 2026-12-01 10:00 UTC: 2 CPUs

                | row | measure | result | ours | raw | CPU µs/event ours / raw | target | |
                |---|---|---|---|---|---|---|---|
                | 1 | gateway CPU per POST ÷ per empty request | 3.00× | 300.0 µs/event (gateway) | 100.0 µs/event (gateway) | 400.0 / 100.0 | ≤ 2× | missed (1.50× the target) |
                | 1 | single-event POST ÷ raw KafkaProducer | 0.50 | 1,000 events/s | 2,000 events/s | 400.0 / 150.0 | ≥ 0.5 | met |
                | 7 | peak RSS gateway | 250 MB | — | — | — | ≤ 300 MB | met |

                CPU µs per event by process (median over the pairs; total: median of the per-window totals):

                | row | side | gateway | broker | load generator | total |
                |---|---|---|---|---|---|
                | 1 | single-event POST | 300.0 | 100.0 | — | 400.0 |
                | 1 | empty endpoint | 100.0 | — | — | 100.0 |
                | 1 | raw KafkaProducer | — | 100.0 | 50.0 | 150.0 |

                Notes:
                - 1, gateway CPU per POST ÷ per empty request: same filters
                - 1, single-event POST ÷ raw KafkaProducer: 16 threads
                - 7, peak RSS gateway: VmHWM, -Xmx256m
                - idle checks before windows: 2, all quiet
                - total seconds: 12.3
                """);
    }

    @Test
    void shouldWriteJsonWithTheCommitEveryPairAndCpuPerProcess() {
        // when
        String json = sample().json();

        // then
        assertThat(json).contains("\"commit\": \"0123456789abcdef0123456789abcdef01234567\"", "\"dirty\": false",
                "\"cpuMicrosPerEventByProcess\": {", "\"gateway\": 300.0000", "\"load generator\": 50.0000",
                "\"eachPair\": [", "\"verdict\": \"missed (1.50× the target)\"", "\"idleChecks\": [");
        assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());
    }

    @Test
    void shouldSayHowFarALatencyOrMemoryTargetWasMissed() {
        // given
        Report report = new Report();
        org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(3);
        for (int i = 1; i <= 100; i++) {
            h.recordValue(i * 10L); // microseconds; exact in HdrHistogram below 2,048
        }

        // when
        report.latency("5", "check-duplicate", h, side("requests", 100, Map.of("gateway", 1_000_000L)),
                Report.Target.atMost(0.5), "");
        report.memory("7", "peak RSS processors", 420_000_000L, Report.Target.atMost(300), "");

        // then
        assertThat(report.lines().get(0).result()).isEqualTo("p50 0.50 / p99 0.99 / p99.9 1.00 ms");
        assertThat(report.lines().get(0).target()).isEqualTo("p99 ≤ 0.5 ms");
        assertThat(report.lines().get(0).verdict()).isEqualTo("missed by 0.49 ms");
        assertThat(report.lines().get(1).verdict()).isEqualTo("missed by 120 MB");
    }
}
