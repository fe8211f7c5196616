package io.jettyspeed.processors.state;

import io.jettyspeed.processors.errors.DropCounter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.MeasurableStat;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Sensors of our own in the Streams metrics registry (group {@code jettyspeed-processors}, like
 * {@link DropCounter}), so Prometheus shows them next to Kafka Streams' own through the same binder:
 * {@code kafka_jettyspeed_processors_<name>}.
 */
final class ProcessorMetrics {

    private ProcessorMetrics() {
    }

    static Sensor sensor(ProcessorContext<?, ?> context, String processor, String name, String description,
            Map<String, String> extraTags, MeasurableStat stat) {
        String thread = Thread.currentThread().getName();
        String task = context.taskId().toString();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("thread-id", thread);
        tags.put("task-id", task);
        tags.put("processor", processor);
        tags.putAll(extraTags);
        Sensor sensor = context.metrics().addSensor(String.join(".", DropCounter.GROUP, thread, task, processor, name,
                String.join(".", extraTags.values())), Sensor.RecordingLevel.INFO);
        sensor.add(new MetricName(name, DropCounter.GROUP, description, tags), stat);
        return sensor;
    }
}
