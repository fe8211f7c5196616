package io.jettyspeed.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/**
 * The main class of a {@link NodeRuntime#CHILD_JVM} node: runs one KRaft node from a formatted
 * {@code server.properties}. {@code SIGTERM} runs Kafka's clean shutdown; the end of standard input
 * (the parent JVM is gone) halts at once, so a crashed test run leaves no broker behind.
 */
public final class KafkaNodeMain {

    private KafkaNodeMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: KafkaNodeMain <server.properties>");
            System.exit(2);
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(args[0]))) {
            props.load(in);
        }
        Thread orphanWatch = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // the parent never writes; we only wait for the pipe to close
                }
            } catch (IOException e) {
                // closed: same as end of input
            }
            Runtime.getRuntime().halt(137);
        }, "parent-watch");
        orphanWatch.setDaemon(true);
        orphanWatch.start();

        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "kafka-node-shutdown"));
        server.startup();
        System.out.println("kafka node " + props.getProperty("node.id") + " started");
        server.awaitShutdown();
    }
}
