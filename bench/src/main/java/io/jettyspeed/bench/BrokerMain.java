package io.jettyspeed.bench;

import io.jettyspeed.kafka.InProcessKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Entry point of the broker's child JVM: the project's in-process KRaft broker, alone in its
 * process so that its CPU time is the broker's and not mixed with the load generators'. Writes its
 * bootstrap address to the file named by the second argument once it is ready; stops on SIGTERM.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        // The broker logs every partition change at INFO; writing that costs CPU the rows would pay.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        InProcessKafka kafka = InProcessKafka.start(Path.of(args[0]), 0);
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "broker-shutdown"));
        Path ready = Path.of(args[1]);
        Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
        Files.writeString(tmp, kafka.bootstrapServers());
        Files.move(tmp, ready, StandardCopyOption.ATOMIC_MOVE);
        Thread.currentThread().join();
    }
}
