package io.jettyspeed.processors.errors;

import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Counts records a processor deliberately drops (duplicates, late records, invalid records on a
 * topic another topology owns), as the Streams metric {@code jettyspeed-processors:dropped-records-total}
 * tagged with processor, reason and task, so Prometheus shows them next to Streams' own metrics.
 */
public final class DropCounter {

    public static final String GROUP = "jettyspeed-processors";
    public static final String METRIC = "dropped-records-total";

    private final Sensor sensor;

    private DropCounter(Sensor sensor) {
        this.sensor = sensor;
    }

    public static DropCounter register(ProcessorContext<?, ?> context, String processor, String reason) {
        String thread = Thread.currentThread().getName();
        String task = context.taskId().toString();
        Sensor sensor = context.metrics().addSensor(
                String.join(".", GROUP, thread, task, processor, reason), Sensor.RecordingLevel.INFO);
        sensor.add(new MetricName(METRIC, GROUP, "Records dropped on purpose by a JettySpeed processor",
                Map.of("thread-id", thread, "task-id", task, "processor", processor, "reason", reason)), new CumulativeCount());
        return new DropCounter(sensor);
    }

    public void record() {
        sensor.record();
    }
}
