package io.jettyspeed.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The PromQL reading behind {@code DashboardMetricsIT}, and its comparison with an exposition. */
class PromQlTest {

    @Test
    void shouldFindTheMetricsLabelsAndGroupingOfAQuery() {
        // when
        var query = PromQl.parse("sum by (method, uri) (rate(http_server_requests_seconds_count{uri=~\"/api/.*\","
                + "status!~\"5..\"}[$__rate_interval])) / clamp_min(sum(rate(jetty_x_total[5m] offset 1h)), 1e-9)");

        // then
        assertThat(query.metrics()).containsExactly("http_server_requests_seconds_count", "jetty_x_total");
        assertThat(query.matchers().get("http_server_requests_seconds_count")).containsExactly("uri", "status");
        assertThat(query.grouping()).containsExactly("method", "uri");
    }

    @Test
    void shouldKeepSuffixesAsTheyAreAndReadNameSelectorsVectorMatchingAndStringsWithBraces() {
        var query = PromQl.parse("histogram_quantile(0.99, sum without (instance) (rate(x_seconds_bucket{uri=\"/a/{id}\"}[1m])))"
                + " * on (job) group_left (version) {__name__=\"build_info\"} > bool 0");

        assertThat(query.metrics()).containsExactly("x_seconds_bucket", "build_info");
        assertThat(query.matchers().get("x_seconds_bucket")).containsExactly("uri");
        assertThat(query.grouping()).containsExactlyInAnyOrder("instance", "job", "version");
    }

    @Test
    void shouldReportMetricsAndLabelsThatTheScrapesDoNotHave() {
        // given
        String scrape = """
                # HELP jetty_sink_records_written_total rows
                # TYPE jetty_sink_records_written_total counter
                jetty_sink_records_written_total{application="sink-postgres",table="files"} 3.0
                http_server_requests_seconds_count{method="GET",status="200",uri="/api/jetty/edges"} 1
                http_server_requests_seconds_sum{method="GET",status="200",uri="/api/jetty/edges"} 0.1
                """;
        Map<String, Set<String>> exposed = GrafanaDashboard.exposed(List.of(scrape));
        Map<String, List<PromQl.Query>> queries = Map.of(
                "ok", List.of(PromQl.parse("sum by (job, table) (rate(jetty_sink_records_written_total[1m]))")),
                "drifted", List.of(PromQl.parse("sum by (thread) (rate(jetty_sink_rows_written_total[1m]))"),
                        PromQl.parse("rate(http_server_requests_seconds_bucket{uri=\"/x\"}[1m])"),
                        PromQl.parse("rate(http_server_requests_seconds_count{route=\"/x\"}[1m])")));

        // when
        List<String> problems = GrafanaDashboard.problems(queries, exposed);

        // then
        assertThat(problems).containsExactlyInAnyOrder(
                "drifted: metric jetty_sink_rows_written_total is exposed by no service (exposed: jetty_sink_records_written_total)",
                "drifted: groups by thread, a label none of [jetty_sink_rows_written_total] has",
                "drifted: metric http_server_requests_seconds_bucket is exposed by no service (exposed: "
                        + "http_server_requests_seconds_count, http_server_requests_seconds_sum)",
                "drifted: http_server_requests_seconds_count has no label route (it has [method, status, uri])");
    }

    @Test
    void shouldReadEveryQueryOfTheDashboard() {
        var queries = GrafanaDashboard.queries(Repository.read("deploy/grafana/jettyspeed-dashboard.json"));

        assertThat(queries).isNotEmpty();
        assertThat(queries.values()).allSatisfy(list -> assertThat(list).allSatisfy(query ->
                assertThat(query.metrics()).as(query.expression()).isNotEmpty()));
    }
}
