package io.jettyspeed.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;

/**
 * Which partitions consumer groups have not consumed to the end yet, from end offsets and
 * committed offsets (pure, so the rule is tested on its own).
 *
 * <p>The rule: a group reads a topic when it has committed an offset on any partition of it. Then
 * every partition of that topic that holds records must be committed at its end offset; a partition
 * the group never committed counts from offset 0. This covers Kafka Streams applications, whose
 * groups commit their source <em>and</em> repartition topics, and partitions that receive their
 * first records after the group started. A partition whose only records past the committed offset
 * are transaction markers (a consumer that commits {@code last offset + 1} of a transactional topic
 * stays one short of the end forever) is not lagging: {@code markersOnly} decides, usually by
 * reading it. A topic that must be read ({@code required}: a burst's input topics) lags on every
 * partition with records until some group has committed on it.
 */
public final class GroupLag {

    /** A partition {@code group} has not consumed to {@code end}. */
    public record Lagging(String group, TopicPartition partition, long committed, long end) {
        public long lag() {
            return end - committed;
        }
    }

    private GroupLag() {
    }

    /** Group name of the partitions of a required topic that no group has read yet. */
    public static final String NO_GROUP = "(no group yet)";

    public static List<Lagging> of(Map<TopicPartition, Long> ends, Map<String, Map<TopicPartition, Long>> committed,
            Set<String> required, Predicate<Lagging> markersOnly) {
        List<Lagging> lagging = new ArrayList<>();
        Set<String> readByAnyGroup = new HashSet<>();
        committed.values().forEach(offsets -> offsets.keySet().forEach(tp -> readByAnyGroup.add(tp.topic())));
        ends.forEach((tp, end) -> {
            if (required.contains(tp.topic()) && !readByAnyGroup.contains(tp.topic()) && end > 0) {
                lagging.add(new Lagging(NO_GROUP, tp, 0, end));
            }
        });
        for (Map.Entry<String, Map<TopicPartition, Long>> group : committed.entrySet()) {
            Set<String> topicsRead = new HashSet<>();
            group.getValue().keySet().forEach(tp -> topicsRead.add(tp.topic()));
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                TopicPartition tp = end.getKey();
                if (!topicsRead.contains(tp.topic()) || end.getValue() <= 0) {
                    continue;
                }
                long at = group.getValue().getOrDefault(tp, 0L);
                if (at < end.getValue()) {
                    Lagging l = new Lagging(group.getKey(), tp, at, end.getValue());
                    if (!markersOnly.test(l)) {
                        lagging.add(l);
                    }
                }
            }
        }
        lagging.sort(Comparator.comparing((Lagging l) -> l.group()).thenComparing(l -> l.partition().toString()));
        return lagging;
    }

    /** Total records behind, over all lagging partitions. */
    public static long total(List<Lagging> lagging) {
        return lagging.stream().mapToLong(Lagging::lag).sum();
    }

    /** A short description for the log: "0" or "1,234 records on 3 partitions (group topic-p: 12, ...)". */
    public static String describe(List<Lagging> lagging) {
        if (lagging.isEmpty()) {
            return "0";
        }
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "%,d records on %d partitions (",
                total(lagging), lagging.size()));
        for (int i = 0; i < Math.min(3, lagging.size()); i++) {
            Lagging l = lagging.get(i);
            sb.append(i == 0 ? "" : ", ").append(l.group()).append(' ').append(l.partition()).append(": ").append(l.lag());
        }
        return sb.append(lagging.size() > 3 ? ", ...)" : ")").toString();
    }
}
