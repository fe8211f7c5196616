package io.jettyspeed.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cluster's stop with nodes whose stop goes wrong, as a child JVM's does when its broker waits
 * for a controller quorum that has gone: killed after the timeout, or not gone at all.
 */
class ClusterCloseTest {

    @Test
    void shouldStopEveryNodeWhenOneHadToBeKilled() {
        // given three nodes, one of which is killed after its stop timed out
        Node clean1 = new Node(1, Stop.CLEAN);
        Node killed = new Node(2, Stop.KILLED_AFTER_TIMEOUT);
        Node clean3 = new Node(3, Stop.CLEAN);
        InProcessKafka cluster = new InProcessKafka(List.of(clean1, killed, clean3), Path.of("unused"));

        // when the cluster stops
        cluster.close();

        // then nothing runs and every node was asked to stop
        assertThat(List.of(clean1, killed, clean3)).allSatisfy(node -> {
            assertThat(node.isRunning()).isFalse();
            assertThat(node.stopCalls).isEqualTo(1);
        });
    }

    @Test
    void shouldFailWhenANodeStillRunsAfterTheStop() {
        // given a node that survives its stop
        Node clean = new Node(1, Stop.CLEAN);
        Node stuck = new Node(2, Stop.STILL_RUNNING);
        InProcessKafka cluster = new InProcessKafka(List.of(clean, stuck), Path.of("unused"));

        // when the cluster stops, then it says which node still runs
        assertThatThrownBy(cluster::close).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("node 2");
        assertThat(clean.isRunning()).isFalse();
    }

    private enum Stop { CLEAN, KILLED_AFTER_TIMEOUT, STILL_RUNNING }

    private static final class Node implements KafkaNode {
        private final int id;
        private final Stop stop;
        private volatile boolean running = true;
        private volatile int stopCalls;

        Node(int id, Stop stop) {
            this.id = id;
            this.stop = stop;
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public String bootstrapServers() {
            return "localhost:" + (9000 + id);
        }

        @Override
        public Path dataDir() {
            return Path.of("node-" + id);
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public NodeRuntime runtime() {
            return NodeRuntime.CHILD_JVM;
        }

        @Override
        public void stop() {
            stopCalls++;
            switch (stop) {
                case CLEAN -> running = false;
                case KILLED_AFTER_TIMEOUT -> {
                    running = false;
                    throw new IllegalStateException("node " + id + " did not stop within PT1M of SIGTERM and was killed");
                }
                case STILL_RUNNING -> throw new IllegalStateException("node " + id + " cannot be stopped");
            }
        }

        @Override
        public void kill() {
            running = false;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public Duration lastStartDuration() {
            return Duration.ZERO;
        }

        @Override
        public String toString() {
            return "node " + id;
        }
    }
}
