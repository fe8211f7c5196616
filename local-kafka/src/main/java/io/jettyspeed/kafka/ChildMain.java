package io.jettyspeed.kafka;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * The entry point of a {@link ChildJvm}: {@code ChildMain <main class> <args...>}. It first watches its
 * standard input, which the parent holds open and never writes: the end of it means the parent is gone,
 * and the child halts at once (exit 137, no shutdown hooks), so a crashed test run leaves nothing behind.
 * Then it runs the real main class.
 */
public final class ChildMain {

    private ChildMain() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 1) {
            System.err.println("usage: ChildMain <main class> [args...]");
            System.exit(2);
        }
        watchParent();
        try {
            Class.forName(args[0]).getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Halts this JVM when its standard input ends (the parent JVM died or let go of it). */
    static void watchParent() {
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // the parent never writes; we only wait for the pipe to close
                }
            } catch (IOException e) {
                // closed: same as end of input
            }
            Runtime.getRuntime().halt(137);
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
