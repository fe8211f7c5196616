package io.jettyspeed.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The PromQL of {@code deploy/grafana/jettyspeed-dashboard.json} (every panel's targets, rows included,
 * and {@code label_values(...)} variables) and what it needs compared with what the services expose on
 * {@code /actuator/prometheus}.
 */
final class GrafanaDashboard {

    /** Labels Prometheus adds when it scrapes (not in the exposition). */
    static final Set<String> SCRAPE_LABELS = Set.of("job", "instance");

    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([^,)]+?)\\s*(?:,\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*)?\\)");

    private GrafanaDashboard() {
    }

    /** Panel title → its queries, in dashboard order. */
    static Map<String, List<PromQl.Query>> queries(String json) {
        JsonNode dashboard = JsonMapper.builder().build().readTree(json);
        Map<String, List<PromQl.Query>> queries = new LinkedHashMap<>();
        panels(dashboard.path("panels"), queries);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asString("").equals("query")) {
                JsonNode query = variable.path("query");
                String text = query.isObject() ? query.path("query").asString("") : query.asString("");
                Matcher matcher = LABEL_VALUES.matcher(text);
                if (!matcher.matches()) {
                    throw new IllegalArgumentException("variable " + variable.path("name").asString("")
                            + ": only label_values(metric, label) is understood, not " + text);
                }
                PromQl.Query selector = PromQl.parse(matcher.group(1));
                Set<String> grouping = new LinkedHashSet<>(selector.grouping());
                if (matcher.group(2) != null) {
                    grouping.add(matcher.group(2));
                }
                queries.computeIfAbsent("variable " + variable.path("name").asString(""), k -> new ArrayList<>())
                        .add(new PromQl.Query(text, selector.metrics(), selector.matchers(), grouping));
            }
        }
        return queries;
    }

    private static void panels(JsonNode panels, Map<String, List<PromQl.Query>> into) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asString("");
                if (!expr.isBlank()) {
                    into.computeIfAbsent(panel.path("title").asString(""), k -> new ArrayList<>()).add(PromQl.parse(expr));
                }
            }
            panels(panel.path("panels"), into);
        }
    }

    /** Sample name → its label names, from Prometheus text exposition (several scrapes merged). */
    static Map<String, Set<String>> exposed(Iterable<String> scrapes) {
        Map<String, Set<String>> exposed = new LinkedHashMap<>();
        Pattern sample = Pattern.compile("^([A-Za-z_:][A-Za-z0-9_:]*)(\\{(.*)})?\\s+\\S+.*$");
        Pattern label = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");
        for (String scrape : scrapes) {
            for (String line : scrape.split("\n")) {
                Matcher matcher = sample.matcher(line);
                if (line.startsWith("#") || !matcher.matches()) {
                    continue;
                }
                Set<String> labels = exposed.computeIfAbsent(matcher.group(1), k -> new TreeSet<>());
                if (matcher.group(3) != null) {
                    Matcher labelMatcher = label.matcher(matcher.group(3));
                    while (labelMatcher.find()) {
                        labels.add(labelMatcher.group(1));
                    }
                }
            }
        }
        return exposed;
    }

    /** Every metric, matcher label and grouping label a query uses that no scrape exposes; empty when all are. */
    static List<String> problems(Map<String, List<PromQl.Query>> queries, Map<String, Set<String>> exposed) {
        List<String> problems = new ArrayList<>();
        queries.forEach((panel, list) -> {
            for (PromQl.Query query : list) {
                Set<String> available = new TreeSet<>(SCRAPE_LABELS);
                for (String metric : query.metrics()) {
                    Set<String> labels = exposed.get(metric);
                    if (labels == null) {
                        problems.add(panel + ": metric " + metric + " is exposed by no service" + similar(metric, exposed));
                        continue;
                    }
                    available.addAll(labels);
                    for (String matcher : query.matchers().getOrDefault(metric, Set.of())) {
                        if (!labels.contains(matcher) && !SCRAPE_LABELS.contains(matcher)) {
                            problems.add(panel + ": " + metric + " has no label " + matcher + " (it has " + labels + ")");
                        }
                    }
                }
                for (String group : query.grouping()) {
                    if (!available.contains(group)) {
                        problems.add(panel + ": groups by " + group + ", a label none of " + query.metrics() + " has");
                    }
                }
            }
        });
        return problems;
    }

    /** Exposed names sharing the query's first words, as a hint for the fix. */
    private static String similar(String metric, Map<String, Set<String>> exposed) {
        String[] words = metric.split("_");
        String stem = words.length > 1 ? words[0] + "_" + words[1] + "_" : metric;
        List<String> close = exposed.keySet().stream().filter(name -> name.startsWith(stem)).sorted().limit(8).toList();
        return close.isEmpty() ? "" : " (exposed: " + String.join(", ", close) + ")";
    }
}
