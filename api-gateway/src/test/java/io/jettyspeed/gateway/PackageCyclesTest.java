package io.jettyspeed.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No two packages of the gateway depend on each other, directly or through others: a feature
 * ({@code dedup}, {@code edges}, ...) uses the shared layers ({@code state}, {@code http},
 * {@code problems}, ...), never the reverse. Read from the sources (imports and fully qualified names),
 * which is all a dependency between packages can come from; no library needed for that.
 */
class PackageCyclesTest {

    private static final Path SOURCES = Path.of("src/main/java/io/jettyspeed/gateway");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    /** A reference to a gateway class: its package is everything before the first capitalised part. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.jettyspeed\\.gateway(?:\\.[a-z]\\w*)*)\\.[A-Z]");

    @Test
    void shouldHaveNoCycleBetweenTheGatewaysPackages() throws IOException {
        // given
        Map<String, Set<String>> dependencies = dependencies();

        // when
        List<List<String>> cycles = cycles(dependencies);

        // then
        assertThat(dependencies).as("the sources were read").containsKeys(
                "io.jettyspeed.gateway.state", "io.jettyspeed.gateway.edges", "io.jettyspeed.gateway.dedup");
        assertThat(dependencies.get("io.jettyspeed.gateway.dedup")).as("a dependency is seen")
                .contains("io.jettyspeed.gateway.state");
        assertThat(cycles).as("packages that depend on each other: " + dependencies).isEmpty();
    }

    @Test
    void shouldFindACycleWhenThereIsOne() {
        Map<String, Set<String>> dependencies = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));

        assertThat(cycles(dependencies)).containsExactly(List.of("a", "b", "c"));
    }

    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> dependencies = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher declared = PACKAGE.matcher(source);
                assertThat(declared.find()).as("package of " + file).isTrue();
                String own = declared.group(1);
                Set<String> uses = dependencies.computeIfAbsent(own, key -> new TreeSet<>());
                Matcher reference = REFERENCE.matcher(source);
                while (reference.find()) {
                    if (!reference.group(1).equals(own)) {
                        uses.add(reference.group(1));
                    }
                }
            }
        }
        return dependencies;
    }

    /** Strongly connected components of more than one package (Tarjan), each sorted. */
    static List<List<String>> cycles(Map<String, Set<String>> dependencies) {
        return new Object() {
            final Map<String, Integer> index = new TreeMap<>();
            final Map<String, Integer> low = new TreeMap<>();
            final List<String> stack = new ArrayList<>();
            final List<List<String>> found = new ArrayList<>();

            List<List<String>> run() {
                new TreeSet<>(dependencies.keySet()).forEach(node -> {
                    if (!index.containsKey(node)) {
                        visit(node);
                    }
                });
                return found;
            }

            void visit(String node) {
                index.put(node, index.size());
                low.put(node, index.get(node));
                stack.add(node);
                for (String next : dependencies.getOrDefault(node, Set.of())) {
                    if (!index.containsKey(next)) {
                        visit(next);
                        low.put(node, Math.min(low.get(node), low.get(next)));
                    } else if (stack.contains(next)) {
                        low.put(node, Math.min(low.get(node), index.get(next)));
                    }
                }
                if (low.get(node).equals(index.get(node))) {
                    List<String> component = new ArrayList<>();
                    String member;
                    do {
                        member = stack.remove(stack.size() - 1);
                        component.add(member);
                    } while (!member.equals(node));
                    if (component.size() > 1) {
                        found.add(component.stream().sorted().toList());
                    }
                }
            }
        }.run();
    }
}
