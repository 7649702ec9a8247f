package io.klingrelay.deploy.demo;

import io.klingrelay.common.event.ArchivedAsset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** Formats the demo's progress line, result table and summary line (plain text, no colours). */
public final class Report {

    private static final List<String> HEADERS = List.of("REQUEST", "ACCOUNT", "PRODUCT", "STATE", "OBJECT KEY / DETAIL", "SIZE");
    private static final int MAX_DETAIL = 90;

    private Report() {
    }

    /**
     * @param counts requests per state
     * @return e.g. {@code 3 pending, 5 submitted, 2 processing, 1 archiving, 12 archived, 1 failed}
     */
    public static String progress(Map<RequestState, Integer> counts) {
        List<String> parts = new ArrayList<>();
        for (RequestState state : RequestState.values()) {
            parts.add(counts.getOrDefault(state, 0) + " " + state.name().toLowerCase(Locale.ROOT));
        }
        return String.join(", ", parts);
    }

    /**
     * @param counts requests per state
     * @return exactly {@code demo: <N> archived, <M> failed, <P> pending}, where pending is every non-terminal request
     */
    public static String summary(Map<RequestState, Integer> counts) {
        int archived = counts.getOrDefault(RequestState.ARCHIVED, 0);
        int failed = counts.getOrDefault(RequestState.FAILED, 0);
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        return "demo: " + archived + " archived, " + failed + " failed, " + (total - archived - failed) + " pending";
    }

    /**
     * @param rows the requests
     * @return a fixed-width table, one line per archived object (continuation lines leave the first columns blank)
     */
    public static String table(List<RequestRow> rows) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(HEADERS);
        rows.forEach(row -> cells.addAll(lines(row)));
        int[] widths = widths(cells);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            out.append(line(cells.get(i), widths)).append('\n');
            if (i == 0) {
                out.append(rule(widths)).append('\n');
            }
        }
        return out.toString();
    }

    private static List<List<String>> lines(RequestRow row) {
        List<String> first = new ArrayList<>(List.of(row.requestId(), Objects.requireNonNullElse(row.accountId(), "-"),
                Objects.requireNonNullElse(row.product(), "-"), row.state().name().toLowerCase(Locale.ROOT)));
        if (row.assets().isEmpty()) {
            first.add(truncate(Objects.requireNonNullElse(row.detail(), "")));
            first.add("");
            return List.of(first);
        }
        List<List<String>> lines = new ArrayList<>();
        for (ArchivedAsset asset : row.assets()) {
            List<String> line = lines.isEmpty() ? first : new ArrayList<>(List.of("", "", "", ""));
            line.add(asset.objectKey());
            line.add(size(asset.size()));
            lines.add(line);
        }
        return lines;
    }

    /**
     * @param bytes a size in bytes
     * @return e.g. {@code 812 B}, {@code 183.4 KiB}, {@code 2.1 MiB}
     */
    public static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static String truncate(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_DETAIL ? oneLine : oneLine.substring(0, MAX_DETAIL - 3) + "...";
    }

    private static int[] widths(List<List<String>> cells) {
        int[] widths = new int[HEADERS.size()];
        for (List<String> line : cells) {
            for (int c = 0; c < line.size(); c++) {
                widths[c] = Math.max(widths[c], line.get(c).length());
            }
        }
        return widths;
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder out = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            boolean last = c == cells.size() - 1;
            String cell = cells.get(c);
            out.append(last ? " ".repeat(widths[c] - cell.length()) + cell : pad(cell, widths[c]) + "  ");
        }
        return out.toString().stripTrailing();
    }

    private static String pad(String cell, int width) {
        return cell + " ".repeat(width - cell.length());
    }

    private static String rule(int[] widths) {
        int total = 0;
        for (int width : widths) {
            total += width + 2;
        }
        return "-".repeat(total - 2);
    }
}
