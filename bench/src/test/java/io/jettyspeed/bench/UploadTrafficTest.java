package io.jettyspeed.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.DedupCheck;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadAction;
import io.jettyspeed.schemas.UploadEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class UploadTrafficTest {

    @Test
    void shouldGiveEveryTopologyWorkInTheStatedMix() {
        // given
        UploadTraffic traffic = new UploadTraffic("t", 1);
        traffic.burst(4_000, Instant.now());
        Set<String> earlier = new HashSet<>(traffic.storedHashes());

        // when
        List<UploadTraffic.Event> burst = traffic.burst(20_000, Instant.now());

        // then: probes, uploads with chunks, duplicate completions and check hits, all for earlier content
        Map<UploadTraffic.Kind, Integer> counts = new HashMap<>();
        burst.forEach(e -> counts.merge(e.kind(), 1, Integer::sum));
        assertThat(burst.size()).isBetween(20_000, 20_100);
        assertThat(counts.get(UploadTraffic.Kind.PROBE) / (double) burst.size()).isCloseTo(0.2, within(0.01));
        assertThat(counts.get(UploadTraffic.Kind.CHUNK)).isGreaterThan(counts.get(UploadTraffic.Kind.UPLOAD) * 2);
        assertThat(burst.stream().filter(e -> e.kind() == UploadTraffic.Kind.CHECK)
                .map(e -> ((DedupCheck) e.value()).getFileHash())).isNotEmpty().allMatch(earlier::contains);
        long duplicateStarts = burst.stream().filter(e -> e.value() instanceof UploadEvent u
                && u.getAction() == UploadAction.START && earlier.contains(u.getFileHash())).count();
        assertThat(duplicateStarts).isPositive();
        assertThat(burst.stream().filter(e -> e.value() instanceof UploadEvent u && u.getAction() == UploadAction.FAIL))
                .isNotEmpty();
    }

    @Test
    void shouldKeepEachSessionInOrderStartChunksEnd() {
        // when
        List<UploadTraffic.Event> burst = new UploadTraffic("t", 2).burst(5_000, Instant.now());

        // then: event time order, and per session: start first, the end last, chunks of its user between
        assertThat(burst).isSortedAccordingTo(java.util.Comparator.comparing(UploadTraffic.Event::time));
        Map<String, String> state = new HashMap<>();
        for (UploadTraffic.Event e : burst) {
            if (e.value() instanceof UploadEvent u) {
                if (u.getAction() == UploadAction.START) {
                    assertThat(state.put(u.getSessionId(), u.getUserId())).isNull();
                } else {
                    assertThat(state.remove(u.getSessionId())).isEqualTo(u.getUserId());
                }
            } else if (e.value() instanceof ChunkEvent c) {
                assertThat(state.get(c.getSessionId())).isEqualTo(c.getUserId());
            }
        }
        assertThat(state).isEmpty();
    }

    @Test
    void shouldEncodeTheSameBurstForTwoSidesOnTheirOwnTopics() {
        // given
        List<UploadTraffic.Event> burst = new UploadTraffic("t", 3).burst(1_000, Instant.now());

        // when
        List<ProducerRecord<String, byte[]>> eos = UploadTraffic.encode(burst, Topics.of("b3.eos.", 6));
        List<ProducerRecord<String, byte[]>> alos = UploadTraffic.encode(burst, Topics.of("b3.alos.", 6));

        // then
        assertThat(eos).hasSameSizeAs(alos);
        for (int i = 0; i < eos.size(); i++) {
            assertThat(eos.get(i).topic()).startsWith("b3.eos.").endsWith(alos.get(i).topic().substring("b3.alos.".length()));
            assertThat(eos.get(i).key()).isEqualTo(alos.get(i).key());
            assertThat(eos.get(i).value()).isEqualTo(alos.get(i).value());
        }
        assertThat(UploadTraffic.inputTopics(Topics.of("b3.eos.", 6))).hasSize(4).allMatch(t -> t.startsWith("b3.eos."));
    }
}
