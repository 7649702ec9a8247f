package io.klingrelay.campaign.estimate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The configurable table the cost estimate uses: rows of {@code product,model,mode,duration,units},
 * first match wins, {@code *} matches anything (format and defaults documented in the bundled
 * {@code units-table.csv}; replaced by {@code --units-table FILE}).
 *
 * @param rows the rows, in match order
 */
public record UnitsTable(List<Row> rows) {

    /** The bundled table's class-path resource. */
    public static final String DEFAULT_RESOURCE = "/units-table.csv";
    static final String ANY = "*";

    public UnitsTable {
        rows = List.copyOf(rows);
    }

    /**
     * One row.
     *
     * @param product  a product wire name or {@code *}
     * @param model    a model name or {@code *}
     * @param mode     {@code std}, {@code pro}, ... or {@code *}
     * @param duration seconds as Kling writes them ({@code "5"}) or {@code *} (then {@code units} are per 5 s)
     * @param units    units per video, or per image for image-generation
     */
    public record Row(String product, String model, String mode, String duration, BigDecimal units) {

        public Row {
            Objects.requireNonNull(units, "units");
        }

        boolean matches(Shape shape) {
            return matches(product, shape.product()) && matches(model, shape.model()) && matches(mode, shape.mode())
                    && matches(duration, shape.duration());
        }

        private static boolean matches(String pattern, String value) {
            return ANY.equals(pattern) || pattern.equals(value);
        }
    }

    /** @return the bundled table */
    public static UnitsTable bundled() {
        try (InputStream in = Objects.requireNonNull(UnitsTable.class.getResourceAsStream(DEFAULT_RESOURCE),
                DEFAULT_RESOURCE)) {
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param file a table in the documented format
     * @return the table
     * @throws IllegalArgumentException naming the line when a row is malformed or the file unreadable
     */
    public static UnitsTable read(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader, file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("--units-table: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static UnitsTable parse(BufferedReader reader, String source) throws IOException {
        List<Row> rows = new ArrayList<>();
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            String text = line.strip();
            if (!text.isEmpty() && !text.startsWith("#")) {
                rows.add(row(text, source, lineNumber));
            }
        }
        return new UnitsTable(rows);
    }

    private static Row row(String text, String source, int lineNumber) {
        String[] cells = text.split(",", -1);
        if (cells.length != 5) {
            throw new IllegalArgumentException(source + " line " + lineNumber
                    + ": needs 5 columns product,model,mode,duration,units, got " + cells.length);
        }
        try {
            BigDecimal units = new BigDecimal(cells[4].strip());
            if (units.signum() < 0) {
                throw new NumberFormatException("negative");
            }
            return new Row(cells[0].strip(), cells[1].strip(), cells[2].strip(), cells[3].strip(), units);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + " line " + lineNumber + ": units '" + cells[4].strip()
                    + "' is not a non-negative number", e);
        }
    }

    /**
     * @param shape what a request asks for
     * @return the units it is estimated to cost, or empty when no row matches
     */
    public Optional<BigDecimal> units(Shape shape) {
        return rows.stream().filter(row -> row.matches(shape)).findFirst().map(row -> cost(row, shape));
    }

    private static BigDecimal cost(Row row, Shape shape) {
        if (shape.images() > 0) {
            return row.units().multiply(BigDecimal.valueOf(shape.images()));
        }
        if (ANY.equals(row.duration())) {
            return row.units().multiply(new BigDecimal(shape.duration())).divide(BigDecimal.valueOf(5));
        }
        return row.units();
    }
}
