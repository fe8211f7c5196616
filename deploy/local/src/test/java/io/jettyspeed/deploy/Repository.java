package io.jettyspeed.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Files of this checkout, found from the test's working directory (a module directory under it). */
final class Repository {

    private static final Pattern ENV_LITERAL = Pattern.compile("\"((?:JETTY|KAFKA)_[A-Z0-9_]+)\"");

    private Repository() {
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("deploy/k8s"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no deploy/k8s above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static String read(String relative) {
        try {
            return Files.readString(root().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static java.util.List<Path> files(String directory, String suffix) {
        try (Stream<Path> files = Files.list(root().resolve(directory))) {
            return files.filter(path -> path.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The environment variables the operator tools ({@code tools/}, image {@code jettyspeed/tools}) read:
     * the {@code "JETTY_…"}/{@code "KAFKA_…"} string literals of their sources and of the topic catalogue
     * in {@code schemas/} (they read the environment as a map, not through Spring).
     */
    static Set<String> toolsEnv() {
        Set<String> names = new TreeSet<>();
        for (String directory : new String[] {"tools/src/main/java", "schemas/src/main/java"}) {
            try (Stream<Path> files = Files.walk(root().resolve(directory))) {
                for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                    Matcher matcher = ENV_LITERAL.matcher(Files.readString(file));
                    while (matcher.find()) {
                        names.add(matcher.group(1));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }

    /** The uid the images run as ({@code USER} in deploy/Dockerfile), or null when they run as root. */
    static Long imageUser() {
        Matcher matcher = Pattern.compile("(?m)^USER\\s+(\\d+)").matcher(read("deploy/Dockerfile"));
        return matcher.find() ? Long.valueOf(matcher.group(1)) : null;
    }
}
