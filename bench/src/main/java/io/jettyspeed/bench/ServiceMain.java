package io.jettyspeed.bench;

import io.jettyspeed.gateway.GatewayApplication;
import io.jettyspeed.processors.StreamProcessorsApplication;
import io.jettyspeed.sink.SinkApplication;
import java.util.Arrays;

/**
 * Entry point of the benchmark's service JVMs: one service per JVM, so that each one's CPU time and
 * peak RSS are its own. The gateway gets one extra, benchmark-only bean: {@link EmptyEndpoint}, the
 * HTTP ceiling behind the same filters; production code paths are untouched.
 */
public final class ServiceMain {

    private ServiceMain() {
    }

    public static void main(String[] args) {
        String service = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (service) {
            case "gateway" -> GatewayApplication.builder().sources(EmptyEndpoint.class).run(rest);
            case "processors" -> StreamProcessorsApplication.builder().run(rest);
            case "sink" -> SinkApplication.builder().run(rest);
            default -> throw new IllegalArgumentException("unknown service " + service);
        }
    }
}
