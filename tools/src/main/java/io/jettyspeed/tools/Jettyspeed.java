package io.jettyspeed.tools;

import io.jettyspeed.tools.dlt.DltCommand;
import io.jettyspeed.tools.repartition.RepartitionCommand;
import io.jettyspeed.tools.tail.TailCommand;
import io.jettyspeed.tools.topics.TopicsCommand;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The operator command line behind {@code ./jettyspeed topics|tail|dlt|repartition}. Output is JSON, one object
 * per line, on standard output; messages go to standard error; a failure is one line there and a
 * non-zero exit status (1 failed, 2 bad arguments, 3 topics that differ from the catalogue).
 */
public final class Jettyspeed {

    static final String USAGE = """
            usage: ./jettyspeed topics [options]            create the topic catalogue on a cluster (--help for options)
                   ./jettyspeed tail <topic> [options]      print a topic's records as JSON
                   ./jettyspeed dlt list|show|replay ...    dead letters: counts, contents, replay after a fix
                   ./jettyspeed repartition --from-prefix P --to-prefix Q [--partitions N] [--dry-run]
                                                            copy the event topics into a generation with other partitions""";

    private Jettyspeed() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err, Clock.systemUTC()));
    }

    /** Runs one command; returns the exit status. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
        if (args.length == 0) {
            err.println(USAGE);
            return ToolException.USAGE;
        }
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        String usage = switch (command) {
            case "topics" -> TopicsCommand.USAGE;
            case "tail" -> TailCommand.USAGE;
            case "dlt" -> DltCommand.USAGE;
            case "repartition" -> RepartitionCommand.USAGE;
            default -> USAGE;
        };
        if (List.of(rest).contains("--help") || List.of(rest).contains("-h")) {
            out.println(usage);
            return 0;
        }
        try {
            return switch (command) {
                case "topics" -> TopicsCommand.run(rest, env, out, err);
                case "tail" -> TailCommand.run(rest, env, out, err, clock);
                case "dlt" -> DltCommand.run(rest, env, out, err, clock);
                case "repartition" -> RepartitionCommand.run(rest, env, out, err);
                default -> throw ToolException.usage("unknown command " + command);
            };
        } catch (ToolException e) {
            err.println("jettyspeed " + command + ": " + e.getMessage());
            if (e.exitStatus() == ToolException.USAGE) {
                err.println("(./jettyspeed " + (usage == USAGE ? "" : command + " ") + "--help for usage)");
            }
            return e.exitStatus();
        } catch (RuntimeException e) {
            // Whatever Kafka or the JVM throws past the checks still ends as one line, not a stack trace.
            err.println("jettyspeed " + command + ": " + (e.getMessage() == null ? e.getClass().getName() : e.getMessage()));
            return ToolException.FAILED;
        } finally {
            out.flush();
        }
    }
}
