package io.jettyspeed.bench;

import io.jettyspeed.gateway.GatewayApplication;
import java.util.Arrays;

/**
 * Entry point of the benchmark's gateway JVM: the gateway's executable jar with one extra, benchmark-only
 * bean, {@link EmptyEndpoint}, the HTTP ceiling behind the same filters; production code paths are
 * untouched. Only these two classes are copied beside the jar ({@code Child.Launch.executableJarWith}).
 */
public final class ServiceMain {

    private ServiceMain() {
    }

    public static void main(String[] args) {
        if (!args[0].equals("gateway")) {
            throw new IllegalArgumentException("the benchmark's extra classes run with the gateway only, not " + args[0]);
        }
        GatewayApplication.builder().sources(EmptyEndpoint.class).run(Arrays.copyOfRange(args, 1, args.length));
    }
}
