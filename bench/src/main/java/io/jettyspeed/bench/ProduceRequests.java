package io.jettyspeed.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * How many records a producer has sent and in how many requests, from its own metrics ({@code producer-metrics}'
 * {@code record-send-total} and {@code request-total}; the requests are nearly all produce requests): the raw producer's
 * in this JVM, the gateway's from its {@code /actuator/prometheus}. How many records share a produce request changes
 * what each costs the client and the broker, so rows 1 and 2 report it for both their sides.
 */
record ProduceRequests(double records, double requests) {

    /** Where a side's producer totals are read from. */
    @FunctionalInterface
    interface Source {
        ProduceRequests read() throws Exception;
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static ProduceRequests of(Producer<?, ?> producer) {
        double records = 0;
        double requests = 0;
        for (Map.Entry<MetricName, ? extends Metric> metric : producer.metrics().entrySet()) {
            if (metric.getKey().group().equals("producer-metrics")) {
                switch (metric.getKey().name()) {
                    case "record-send-total" -> records += ((Number) metric.getValue().metricValue()).doubleValue();
                    case "request-total" -> requests += ((Number) metric.getValue().metricValue()).doubleValue();
                    default -> { }
                }
            }
        }
        return new ProduceRequests(records, requests);
    }

    /** The gateway's producer, as its Prometheus endpoint reports it ({@code kafka_producer_*_total}). */
    static ProduceRequests ofGateway(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/actuator/prometheus")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the gateway's /actuator/prometheus answered " + response.statusCode());
        }
        return fromPrometheus(response.body());
    }

    static ProduceRequests fromPrometheus(String text) {
        return new ProduceRequests(sum(text, "kafka_producer_record_send_total{"), sum(text, "kafka_producer_request_total{"));
    }

    private static double sum(String text, String prefix) {
        return text.lines().filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** Records per request from {@code before} until this reading. */
    double perRequestSince(ProduceRequests before) {
        double sent = requests - before.requests;
        return sent <= 0 ? 0 : (records - before.records) / sent;
    }
}
