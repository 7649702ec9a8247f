package io.klingrelay.deploy.demo;

import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.json.EventJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * Reads a campaign file: JSON Lines, one {@link GenerationRequest} per line (blank lines and lines
 * starting with {@code //} are skipped). Each request id gets the run's suffix ({@code <id>-<run>})
 * so reruns on the same Kafka and Redis data do not collide; a line that is not a request is kept
 * as-is, to be published unchanged.
 */
public final class Campaign {

    private Campaign() {
    }

    /**
     * @param file           the campaign file (UTF-8)
     * @param runId          this run's suffix, e.g. {@code r7k2q}
     * @param accountMapping maps the file's account ids onto configured ones (identity for the emulator)
     * @return the entries, in file order
     * @throws UncheckedIOException when the file cannot be read
     */
    public static List<CampaignEntry> read(Path file, String runId, UnaryOperator<String> accountMapping) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), runId, accountMapping);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read campaign " + file, e);
        }
    }

    /**
     * @param lines          the file's lines
     * @param runId          this run's suffix
     * @param accountMapping maps account ids
     * @return the entries, in file order
     */
    public static List<CampaignEntry> parse(List<String> lines, String runId, UnaryOperator<String> accountMapping) {
        List<CampaignEntry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!isSkipped(line)) {
                entries.add(entry(i + 1, line, runId, accountMapping));
            }
        }
        return entries;
    }

    private static boolean isSkipped(String line) {
        return line.isEmpty() || line.startsWith("//");
    }

    private static CampaignEntry entry(int lineNumber, String line, String runId, UnaryOperator<String> accountMapping) {
        GenerationRequest request = tryRead(line);
        if (request == null || request.requestId() == null) {
            return new CampaignEntry(lineNumber, null, null, null, line);
        }
        String accountId = request.accountId() == null ? null : accountMapping.apply(request.accountId());
        GenerationRequest forRun = new GenerationRequest(request.schemaVersion(), null,
                request.requestId() + "-" + runId, accountId, request.campaignId(), request.priority(),
                request.product(), request.input(), Instant.now());
        Product product = request.product();
        return new CampaignEntry(lineNumber, forRun.requestId(), accountId,
                product == null ? null : product.wireName(), EventJson.mapper().writeValueAsString(forRun));
    }

    private static @Nullable GenerationRequest tryRead(String line) {
        try {
            return EventJson.mapper().readValue(line, GenerationRequest.class);
        } catch (JacksonException e) {
            return null;
        }
    }
}
