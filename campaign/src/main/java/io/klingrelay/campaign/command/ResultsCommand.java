package io.klingrelay.campaign.command;

import io.klingrelay.campaign.remote.Connection;
import io.klingrelay.campaign.remote.StatusClient;
import io.klingrelay.common.json.EventJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

/**
 * {@code campaign results CAMPAIGN}: the manifest, one row per request in request-id order, with
 * its state, Kling task id, units, retryOf, failure stage and reason, and per asset the bucket,
 * object key, size, SHA-256 and a presigned URL refreshed on the status service
 * ({@code ?presign=true}, valid 1 h). JSON Lines (assets as an array) or CSV (several assets of one
 * request joined by a space in each asset column).
 */
@Command(name = "results", mixinStandardHelpOptions = true,
        description = "The campaign's manifest: state, object keys, sizes, SHA-256, presigned URLs, task id, units, failure.")
public final class ResultsCommand implements Callable<Integer> {

    /** The manifest formats. */
    enum Format { jsonl, csv }

    static final List<String> CSV_COLUMNS = List.of("requestId", "accountId", "state", "taskId", "units", "retryOf",
            "failureStage", "failureReason", "objectKeys", "sizes", "sha256", "presignedUrls", "presignedUrlsExpireAt");

    @Parameters(paramLabel = "CAMPAIGN", description = "the campaign id")
    String campaignId = "";

    @Option(names = "--format", paramLabel = "jsonl|csv", defaultValue = "jsonl", description = "manifest format (default: ${DEFAULT-VALUE})")
    Format format = Format.jsonl;

    @Option(names = "--out", paramLabel = "FILE", description = "write the manifest here (default: standard output)")
    @Nullable Path out;

    @Option(names = "--no-presign", description = "keep the presigned URLs the service has (do not refresh them)")
    boolean noPresign;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Spec
    @Nullable CommandSpec spec;

    @Override
    public Integer call() {
        Console console = Console.of(Objects.requireNonNull(spec).commandLine().getOut(), System.getenv());
        return run(console, connection.resolve());
    }

    int run(Console console, Connection connection) {
        StatusClient status = connection.requireStatus();
        if (status.campaign(campaignId).isEmpty()) {
            console.printf("campaign %s: unknown to the status service at %s%n", campaignId, status.baseUrl());
            return 1;
        }
        long[] rows = {0};
        try (Writer writer = out == null ? nonClosing(console.out()) : Files.newBufferedWriter(out, StandardCharsets.UTF_8);
                ManifestWriter manifest = format == Format.csv ? new CsvManifest(writer) : new JsonLinesManifest(writer)) {
            status.forEachRequest(campaignId, null, view -> {
                manifest.write(row(refreshed(status, view)));
                rows[0]++;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the manifest", e);
        }
        if (out != null) {
            console.printf("campaign %s: %d rows written to %s (%s)%n", campaignId, rows[0], out, format);
        }
        return 0;
    }

    private JsonNode refreshed(StatusClient status, JsonNode view) {
        if (noPresign || view.path("assets").isEmpty()) {
            return view;
        }
        return status.request(view.path("accountId").asString(""), view.path("requestId").asString(""), true).orElse(view);
    }

    /**
     * @param view a request view of the status service
     * @return the manifest row (JSON Lines shape)
     */
    static Map<String, Object> row(JsonNode view) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (String field : List.of("requestId", "accountId", "state", "taskId", "units", "retryOf")) {
            row.put(field, text(view.path(field)));
        }
        JsonNode failure = view.path("failure");
        row.put("failureStage", text(failure.path("stage")));
        row.put("failureReason", text(failure.path("reason")));
        List<Map<String, Object>> assets = new ArrayList<>();
        view.path("assets").forEach(asset -> {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (String field : List.of("kind", "index", "bucket", "objectKey", "size", "sha256", "contentType",
                    "presignedUrl", "presignedUrlExpiresAt")) {
                JsonNode value = asset.path(field);
                copy.put(field, value.isNumber() ? value.numberValue() : text(value));
            }
            assets.add(copy);
        });
        row.put("assets", assets);
        return row;
    }

    private static @Nullable String text(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? null : value.asString();
    }

    private interface ManifestWriter extends AutoCloseable {
        void write(Map<String, Object> row);

        @Override
        void close() throws IOException;
    }

    private record JsonLinesManifest(Writer writer) implements ManifestWriter {
        @Override
        public void write(Map<String, Object> row) {
            try {
                writer.write(EventJson.mapper().writeValueAsString(row));
                writer.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            writer.flush();
        }
    }

    private static final class CsvManifest implements ManifestWriter {
        private final CSVPrinter printer;

        CsvManifest(Writer writer) throws IOException {
            this.printer = new CSVPrinter(writer, CSVFormat.RFC4180.builder().setHeader(CSV_COLUMNS.toArray(String[]::new)).get());
        }

        @Override
        @SuppressWarnings("unchecked")
        public void write(Map<String, Object> row) {
            List<Map<String, Object>> assets = (List<Map<String, Object>>) row.get("assets");
            List<Object> cells = new ArrayList<>();
            for (String column : CSV_COLUMNS.subList(0, 8)) {
                cells.add(Objects.toString(row.get(column), ""));
            }
            cells.add(joined(assets, asset -> asset.get("objectKey")));
            cells.add(joined(assets, asset -> asset.get("size")));
            cells.add(joined(assets, asset -> asset.get("sha256")));
            cells.add(joined(assets, asset -> asset.get("presignedUrl")));
            cells.add(joined(assets, asset -> asset.get("presignedUrlExpiresAt")));
            try {
                printer.printRecord(cells);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String joined(List<Map<String, Object>> assets, Function<Map<String, Object>, @Nullable Object> field) {
            return String.join(" ", assets.stream().map(asset -> Objects.toString(field.apply(asset), "")).toList());
        }

        @Override
        public void close() throws IOException {
            printer.flush();
        }
    }

    private static Writer nonClosing(PrintWriter writer) {
        return new java.io.FilterWriter(writer) {
            @Override
            public void close() {
                writer.flush();
            }
        };
    }
}
