package io.klingrelay.campaign.input;

import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.json.EventJson;
import java.io.BufferedReader;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * JSON Lines: one {@link GenerationRequest} object per line (the event's own field names,
 * {@code docs/schemas/GenerationRequest.json}); blank lines and lines starting with {@code //}
 * are skipped. A line that is not JSON, or JSON that is not a request object, becomes an
 * unreadable {@link CampaignLine} naming the parser's complaint.
 */
final class JsonLinesRequests extends CampaignReader {

    private final BufferedReader reader;
    private long lineNumber;

    JsonLinesRequests(BufferedReader reader) {
        this.reader = reader;
    }

    @Override
    protected @Nullable CampaignLine readNext() throws IOException {
        String line;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            String text = line.strip();
            if (!text.isEmpty() && !text.startsWith("//")) {
                return parse(lineNumber, text);
            }
        }
        return null;
    }

    static CampaignLine parse(long lineNumber, String text) {
        JsonNode tree;
        try {
            tree = EventJson.mapper().readTree(text);
        } catch (JacksonException e) {
            return CampaignLine.unreadable(lineNumber, "not JSON (" + shortMessage(e.getOriginalMessage()) + ")");
        }
        if (tree == null || !tree.isObject()) {
            return CampaignLine.unreadable(lineNumber, "not a JSON object");
        }
        try {
            return CampaignLine.of(lineNumber, EventJson.mapper().treeToValue(tree, GenerationRequest.class));
        } catch (JacksonException e) {
            return CampaignLine.unreadable(lineNumber, "not a request (" + shortMessage(e.getOriginalMessage()) + ")");
        }
    }

    @Override
    public void close() {
        closeQuietly(reader);
    }
}
