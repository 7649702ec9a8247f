package io.klingrelay.deploy.harness;

import io.klingrelay.common.json.EventJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * Metric names as a scrape, PromQL expressions, the observability files in {@code deploy/observability/}
 * and the README's metric catalogue name them (issue 8). PromQL is read token by token: string
 * literals, label matchers ({@code {…}}), range and subquery selectors ({@code […]}) and label lists
 * after {@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left} and
 * {@code group_right} are removed; what remains is a metric name unless it is followed by {@code (}
 * (a function or aggregation), is a keyword, or is a number or a duration.
 */
public final class MetricNames {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern LABEL_LIST = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "inf", "nan", "start", "end");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{\\s]");

    private MetricNames() {
    }

    /**
     * @param expression a PromQL expression
     * @return the metric names it selects, e.g. {@code klingrelay_kling_calls_seconds_count}
     */
    public static Set<String> inPromQl(String expression) {
        String rest = STRING.matcher(expression).replaceAll(" ");
        rest = rest.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        rest = LABEL_LIST.matcher(rest).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher matcher = IDENTIFIER.matcher(rest);
        while (matcher.find()) {
            String token = matcher.group();
            boolean call = rest.substring(matcher.end()).stripLeading().startsWith("(");
            boolean partOfNumber = matcher.start() > 0 && Character.isDigit(rest.charAt(matcher.start() - 1));
            if (!call && !partOfNumber && !KEYWORDS.contains(token.toLowerCase(java.util.Locale.ROOT))) {
                names.add(token);
            }
        }
        return names;
    }

    /**
     * @param scrape a Prometheus text exposition ({@code /actuator/prometheus})
     * @return the names of its samples (with their {@code _total}, {@code _count}, {@code _sum}, {@code _max} suffixes)
     */
    public static Set<String> inScrape(String scrape) {
        Set<String> names = new TreeSet<>();
        scrape.lines().filter(line -> !line.startsWith("#")).map(SAMPLE::matcher).filter(Matcher::find)
                .forEach(matcher -> names.add(matcher.group(1)));
        return names;
    }

    /**
     * @param dashboard a Grafana dashboard JSON file
     * @return the names its panels' {@code targets[].expr} select, rows' nested panels included
     */
    public static Set<String> inDashboard(Path dashboard) {
        JsonNode root = EventJson.mapper().readTree(read(dashboard));
        Set<String> names = new TreeSet<>();
        collectExpressions(root.path("panels"), names);
        return names;
    }

    private static void collectExpressions(JsonNode panels, Set<String> names) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                names.addAll(inPromQl(target.path("expr").asString("")));
            }
            collectExpressions(panel.path("panels"), names);
        }
    }

    /**
     * @param rules a Prometheus rule file ({@code groups[].rules[].expr})
     * @return the names its expressions select
     */
    @SuppressWarnings("unchecked")
    public static Set<String> inRules(Path rules) {
        Map<String, Object> root = new Yaml().load(read(rules));
        Set<String> names = new TreeSet<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) root.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                names.addAll(inPromQl(String.valueOf(rule.get("expr"))));
            }
        }
        return names;
    }

    /**
     * The README's catalogue: every {@code klingrelay_…} name in the table rows of its "### Metrics"
     * section, except rows that say the series appears "only after" some rare event.
     *
     * @param readme the README
     * @return the catalogue's Prometheus names
     */
    public static Set<String> inReadmeCatalogue(Path readme) {
        String text = read(readme);
        int start = text.indexOf("\n### Metrics");
        if (start < 0) {
            throw new IllegalStateException("README has no \"### Metrics\" section");
        }
        int end = text.indexOf("\n#", start + 1);
        Set<String> names = new TreeSet<>();
        Pattern name = Pattern.compile("\\bklingrelay_[a-z0-9_]+");
        Stream.of(text.substring(start, end < 0 ? text.length() : end).split("\n"))
                .filter(line -> line.startsWith("|") && !line.contains("only after"))
                .forEach(line -> name.matcher(line).results().forEach(match -> names.add(match.group())));
        return names;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
