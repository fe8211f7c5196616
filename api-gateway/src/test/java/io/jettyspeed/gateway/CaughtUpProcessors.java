package io.jettyspeed.gateway;

import io.jettyspeed.gateway.state.FreshnessChain;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.testing.SharedKafka;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * For gateway tests that write aggregates straight to their topics ({@link AggregateRecords}) in
 * place of the processors: commits, for every processors' consumer group the freshness watermark
 * follows, the end offsets of the topics it reads, as the processors would once they have processed
 * everything written so far. The gateway's views then become fresh as soon as they have read their topics.
 */
final class CaughtUpProcessors {

    private CaughtUpProcessors() {
    }

    static void commitEverything(Topics topics, String applicationId) {
        Map<String, Set<String>> topicsByGroup = FreshnessChain.allSteps(FreshnessChain.of(topics, applicationId)).stream()
                .filter(step -> step.reader() instanceof FreshnessChain.Reader.Group)
                .collect(Collectors.groupingBy(step -> ((FreshnessChain.Reader.Group) step.reader()).groupId(),
                        Collectors.mapping(FreshnessChain.Step::topic, Collectors.toSet())));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()))) {
            for (Map.Entry<String, Set<String>> group : topicsByGroup.entrySet()) {
                Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                for (String topic : group.getValue()) {
                    if (!admin.listTopics().names().get().contains(topic)) {
                        continue;
                    }
                    int partitions = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions().size();
                    for (int p = 0; p < partitions; p++) {
                        request.put(new TopicPartition(topic, p), OffsetSpec.latest());
                    }
                }
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                admin.listOffsets(request).all().get().forEach((partition, info) ->
                        offsets.put(partition, new OffsetAndMetadata(info.offset())));
                admin.alterConsumerGroupOffsets(group.getKey(), offsets).all().get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot commit the processors' offsets", e);
        }
    }
}
