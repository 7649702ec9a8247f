package io.klingrelay.campaign.estimate;

import io.klingrelay.common.event.GenerationRequest;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The estimated cost of a campaign: requests and units per product, model, mode and duration
 * ({@link Shape#label()}), from a {@link UnitsTable}. Requests no row prices are counted apart.
 * Not thread-safe.
 */
public final class Estimate {

    private final UnitsTable table;
    private final Map<String, Line> lines = new TreeMap<>();
    private BigDecimal total = BigDecimal.ZERO;
    private long unpriced;

    /** @param table the units table */
    public Estimate(UnitsTable table) {
        this.table = table;
    }

    /**
     * One group of the estimate.
     *
     * @param requests requests in the group
     * @param images   images they ask for (image-generation), else 0
     * @param units    their units, or null when no table row prices them
     */
    public record Line(long requests, long images, BigDecimal units) {
    }

    /** @param request a valid request to count */
    public void add(GenerationRequest request) {
        Shape shape = Shape.of(request);
        Optional<BigDecimal> units = table.units(shape);
        if (units.isEmpty()) {
            unpriced++;
        }
        BigDecimal cost = units.orElse(BigDecimal.ZERO);
        total = total.add(cost);
        lines.merge(shape.label() + (units.isEmpty() ? " (no units-table row)" : ""),
                new Line(1, shape.images(), cost),
                (a, b) -> new Line(a.requests() + b.requests(), a.images() + b.images(), a.units().add(b.units())));
    }

    /** @return the groups, by label */
    public Map<String, Line> lines() {
        return Map.copyOf(lines);
    }

    /** @return the total estimated units */
    public BigDecimal total() {
        return total;
    }

    /** @return requests no table row matched (counted as 0 units) */
    public long unpriced() {
        return unpriced;
    }

    /** @return a table for the console, one group per line, then the total */
    public String render() {
        StringBuilder out = new StringBuilder("cost estimate (units table rows; Kling reports the real deduction per task):\n");
        lines.forEach((label, line) -> out.append(String.format("  %-52s %6d request%s %10s units%n", label,
                line.requests(), line.requests() == 1 ? " " : "s", line.units().stripTrailingZeros().toPlainString())));
        out.append(String.format("  %-52s %6s           %10s units%n", "total", "", total.stripTrailingZeros().toPlainString()));
        if (unpriced > 0) {
            out.append("  ").append(unpriced).append(" request(s) match no units-table row and count as 0 (add a row, --units-table FILE)\n");
        }
        return out.toString();
    }
}
