package io.jettyspeed.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of PromQL to know what a query needs from the scraped services: the metric names it
 * selects (exact sample names, so {@code x_count}, {@code x_sum}, {@code x_bucket} and {@code x_total}
 * must each be exposed as such: nothing is stripped, and a {@code _bucket} query fails against a timer
 * that publishes no histogram), the label names its selectors match on, and the label names it groups by
 * ({@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left}, {@code group_right}).
 * Functions and aggregations (an identifier before {@code (}), keywords, numbers, durations, strings and
 * Grafana variables ({@code $__rate_interval}, {@code ${datasource}}) are not metrics.
 */
final class PromQl {

    /** What one expression uses. {@code matchers} maps a metric to the labels its selector matches on. */
    record Query(String expression, Set<String> metrics, Map<String, Set<String>> matchers, Set<String> grouping) {
    }

    private static final Pattern TOKEN = Pattern.compile(String.join("|",
            "(?<space>\\s+)",
            "(?<string>\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`)",
            "(?<variable>\\$\\{[^}]*}|\\$[A-Za-z_][A-Za-z0-9_]*)",
            "(?<number>(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?(?:[a-zA-Z]+)?|0x[0-9a-fA-F]+)",
            "(?<identifier>[A-Za-z_:][A-Za-z0-9_:]*)",
            "(?<operator>=~|!~|!=|==|>=|<=|[-+*/%^=<>,(){}\\[\\]@])"));

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan",
            "Inf", "NaN", "start", "end");
    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    private PromQl() {
    }

    static Query parse(String expression) {
        List<String[]> tokens = tokenize(expression);
        Set<String> metrics = new LinkedHashSet<>();
        Map<String, Set<String>> matchers = new LinkedHashMap<>();
        Set<String> grouping = new LinkedHashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            String kind = tokens.get(i)[0];
            String text = tokens.get(i)[1];
            if (kind.equals("operator") && text.equals("[")) {
                i = skipTo(tokens, i, "]");
            } else if (kind.equals("operator") && text.equals("{")) {
                // a selector without a name: {__name__="x"} or labels only
                i = matchers(tokens, i, null, metrics, matchers);
            } else if (kind.equals("identifier")) {
                String next = i + 1 < tokens.size() ? tokens.get(i + 1)[1] : "";
                if (GROUPING.contains(text)) {
                    if (next.equals("(")) {
                        int close = skipTo(tokens, i + 1, ")");
                        for (int j = i + 2; j < close; j++) {
                            if (tokens.get(j)[0].equals("identifier")) {
                                grouping.add(tokens.get(j)[1]);
                            }
                        }
                        i = close;
                    }
                } else if (next.equals("(") || next.equals("by") || next.equals("without")) {
                    continue; // a function or an aggregation (sum by (x) (...))
                } else if (KEYWORDS.contains(text)) {
                    continue;
                } else {
                    metrics.add(text);
                    matchers.computeIfAbsent(text, name -> new LinkedHashSet<>());
                    if (next.equals("{")) {
                        i = matchers(tokens, i + 1, text, metrics, matchers);
                    }
                }
            }
        }
        return new Query(expression, metrics, matchers, grouping);
    }

    /** Reads {@code {label op "value", ...}} starting at the brace; returns the index of the closing brace. */
    private static int matchers(List<String[]> tokens, int open, String metric, Set<String> metrics,
            Map<String, Set<String>> matchers) {
        int close = skipTo(tokens, open, "}");
        String name = metric;
        Set<String> labels = new LinkedHashSet<>();
        for (int j = open + 1; j < close; j++) {
            if (tokens.get(j)[0].equals("identifier")) {
                String label = tokens.get(j)[1];
                if (label.equals("__name__") && j + 2 < close && tokens.get(j + 1)[1].equals("=")) {
                    String value = tokens.get(j + 2)[1];
                    name = value.substring(1, value.length() - 1);
                } else {
                    labels.add(label);
                }
            }
        }
        if (name != null) {
            metrics.add(name);
            matchers.computeIfAbsent(name, n -> new LinkedHashSet<>()).addAll(labels);
        }
        return close;
    }

    private static int skipTo(List<String[]> tokens, int from, String closing) {
        String opening = switch (closing) {
            case ")" -> "(";
            case "]" -> "[";
            default -> "{";
        };
        int depth = 0;
        for (int i = from; i < tokens.size(); i++) {
            String text = tokens.get(i)[1];
            if (tokens.get(i)[0].equals("operator") && text.equals(opening)) {
                depth++;
            } else if (tokens.get(i)[0].equals("operator") && text.equals(closing) && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced " + opening + " in PromQL");
    }

    private static List<String[]> tokenize(String expression) {
        List<String[]> tokens = new ArrayList<>();
        Matcher matcher = TOKEN.matcher(expression);
        int position = 0;
        while (position < expression.length()) {
            if (!matcher.find(position) || matcher.start() != position) {
                throw new IllegalArgumentException("cannot read PromQL at " + position + ": " + expression);
            }
            for (String kind : List.of("string", "variable", "number", "identifier", "operator")) {
                if (matcher.group(kind) != null) {
                    tokens.add(new String[] {kind, matcher.group(kind)});
                }
            }
            position = matcher.end();
        }
        return tokens;
    }
}
