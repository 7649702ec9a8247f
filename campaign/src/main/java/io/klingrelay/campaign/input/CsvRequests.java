package io.klingrelay.campaign.input;

import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.Priority;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.json.EventJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

/**
 * CSV campaigns: a header row, then one request per record (RFC 4180: fields with commas, quotes or
 * line breaks are quoted with {@code "}, a quote inside is doubled).
 *
 * <p>Columns: {@value #REQUEST_ID}, {@value #ACCOUNT_ID} and {@value #PRODUCT} are required;
 * {@value #CAMPAIGN_ID} and {@value #PRIORITY} are optional; every other column is a Kling create
 * field named {@code input.<field>} (kling-api.md §6–§8), e.g. {@code input.prompt},
 * {@code input.duration}; a dotted name nests ({@code input.camera_control.type}). Any other column
 * refuses the file. Values of {@code input.*} columns are typed like this: an empty cell leaves the
 * field out; the fields Kling defines as strings ({@link #STRING_FIELDS}: prompt, duration, mode, ...)
 * stay strings ({@code 5} is sent as {@code "5"}); otherwise {@code true}/{@code false} is a boolean,
 * {@code 3} an integer, {@code 0.5} a number, a cell starting with {@code {} or {@code [} is JSON,
 * and anything else a string.
 */
final class CsvRequests extends CampaignReader {

    static final String REQUEST_ID = "requestId";
    static final String ACCOUNT_ID = "accountId";
    static final String PRODUCT = "product";
    static final String CAMPAIGN_ID = "campaignId";
    static final String PRIORITY = "priority";
    static final String INPUT_PREFIX = "input.";
    static final List<String> REQUIRED = List.of(REQUEST_ID, ACCOUNT_ID, PRODUCT);
    /** Kling create fields whose values are strings even when they look like numbers (kling-api.md §6–§8). */
    static final Set<String> STRING_FIELDS = Set.of("model_name", "prompt", "negative_prompt", "mode", "aspect_ratio",
            "duration", "image", "image_tail", "resolution", "static_mask");
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+");

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> header;
    private long lastLine;

    CsvRequests(BufferedReader reader) {
        try {
            this.parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                    .setIgnoreEmptyLines(true).setIgnoreSurroundingSpaces(true).get().parse(reader);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            throw new CampaignFileException("line 1: not a CSV header (" + shortMessage(e.getMessage()) + ")", e);
        }
        this.header = parser.getHeaderNames();
        checkHeader(header);
        this.records = parser.iterator();
        this.lastLine = parser.getCurrentLineNumber();
    }

    /**
     * @param header the column names
     * @throws CampaignFileException when a required column is missing or a column is unknown
     */
    static void checkHeader(List<String> header) {
        List<String> missing = REQUIRED.stream().filter(column -> !header.contains(column)).toList();
        if (!missing.isEmpty()) {
            throw new CampaignFileException("line 1: missing column" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + " (required: " + String.join(", ", REQUIRED)
                    + "; optional: campaignId, priority, input.<kling field>)");
        }
        List<String> unknown = header.stream().filter(column -> !isKnownColumn(column)).toList();
        if (!unknown.isEmpty()) {
            throw new CampaignFileException("line 1: unknown column" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + " (Kling fields are named input.<field>, e.g. input.prompt)");
        }
    }

    private static boolean isKnownColumn(String column) {
        return REQUIRED.contains(column) || CAMPAIGN_ID.equals(column) || PRIORITY.equals(column)
                || column.startsWith(INPUT_PREFIX) && column.length() > INPUT_PREFIX.length();
    }

    @Override
    protected @Nullable CampaignLine readNext() {
        try {
            if (!records.hasNext()) {
                return null;
            }
            CSVRecord record = records.next();
            long line = lastLine + 1;
            lastLine = parser.getCurrentLineNumber();
            return toLine(line, record);
        } catch (UncheckedIOException | IllegalStateException e) {
            long line = lastLine + 1;
            lastLine = Long.MAX_VALUE - 1;
            throw new CampaignFileException("line " + line + ": not CSV (" + shortMessage(e.getMessage()) + ")", e);
        }
    }

    private CampaignLine toLine(long line, CSVRecord record) {
        if (record.size() != header.size()) {
            return CampaignLine.unreadable(line, record.size() + " fields, the header has " + header.size());
        }
        try {
            return CampaignLine.of(line, request(record));
        } catch (IllegalArgumentException e) {
            return CampaignLine.unreadable(line, e.getMessage());
        }
    }

    private GenerationRequest request(CSVRecord record) {
        Map<String, Object> input = new LinkedHashMap<>();
        for (String column : header) {
            String value = record.get(column);
            if (column.startsWith(INPUT_PREFIX) && !value.isEmpty()) {
                put(input, column.substring(INPUT_PREFIX.length()), typed(column, value));
            }
        }
        return new GenerationRequest(0, null, cell(record, REQUEST_ID), cell(record, ACCOUNT_ID),
                cell(record, CAMPAIGN_ID), priority(cell(record, PRIORITY)), product(cell(record, PRODUCT)), input, null);
    }

    private @Nullable String cell(CSVRecord record, String column) {
        if (!header.contains(column)) {
            return null;
        }
        String value = record.get(column);
        return value.isEmpty() ? null : value;
    }

    private static @Nullable Product product(@Nullable String value) {
        if (value == null) {
            return null;
        }
        return Arrays.stream(Product.values()).filter(product -> product.wireName().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("product: allowed values: "
                        + Arrays.stream(Product.values()).map(Product::wireName).collect(Collectors.joining(", "))
                        + " (got '" + shorten(value) + "')"));
    }

    private static @Nullable Priority priority(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return Priority.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("priority: allowed values: interactive, campaign (got '"
                    + shorten(value) + "')", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> input, String path, Object value) {
        String[] names = path.split("\\.");
        Map<String, Object> target = input;
        for (int i = 0; i < names.length - 1; i++) {
            Object child = target.computeIfAbsent(names[i], name -> new LinkedHashMap<String, Object>());
            if (!(child instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("input." + path + ": conflicts with column input."
                        + String.join(".", Arrays.copyOf(names, i + 1)));
            }
            target = (Map<String, Object>) child;
        }
        target.put(names[names.length - 1], value);
    }

    /**
     * @param column the column name ({@code input.<field>})
     * @param value  the non-empty cell
     * @return the typed value, as documented on the class
     * @throws IllegalArgumentException when a JSON cell is not valid JSON
     */
    static Object typed(String column, String value) {
        String field = column.substring(INPUT_PREFIX.length());
        if (STRING_FIELDS.contains(field)) {
            return value;
        }
        if (value.startsWith("{") || value.startsWith("[")) {
            return json(column, value);
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.valueOf(value);
        }
        if (INTEGER.matcher(value).matches()) {
            long number = Long.parseLong(value);
            return number == (int) number ? (Object) (int) number : (Object) number;
        }
        if (DECIMAL.matcher(value).matches()) {
            return Double.valueOf(value);
        }
        return value;
    }

    private static Object json(String column, String value) {
        try {
            return EventJson.mapper().readValue(value, new TypeReference<Object>() { });
        } catch (JacksonException e) {
            throw new IllegalArgumentException(column + ": not valid JSON (" + shortMessage(e.getOriginalMessage()) + ")", e);
        }
    }

    private static String shorten(String value) {
        return value.length() > 40 ? value.substring(0, 37) + "..." : value;
    }

    /** @return the columns of this file, in order (for messages) */
    List<String> header() {
        return new ArrayList<>(header);
    }

    @Override
    public void close() {
        closeQuietly(parser);
    }
}
