package io.klingrelay.campaign.input;

import io.klingrelay.common.event.GenerationRequest;
import org.jspecify.annotations.Nullable;

/**
 * One line (or CSV record) of a campaign file, parsed but not yet validated.
 *
 * @param lineNumber the 1-based line number in the file (for CSV: the line the record starts on)
 * @param request    the request, or null when the line could not be read as one
 * @param error      why the line could not be read (e.g. {@code not JSON: ...}), or null when {@code request} is set
 */
public record CampaignLine(long lineNumber, @Nullable GenerationRequest request, @Nullable String error) {

    /**
     * @param lineNumber the line number
     * @param request    the parsed request
     * @return a readable line
     */
    public static CampaignLine of(long lineNumber, GenerationRequest request) {
        return new CampaignLine(lineNumber, request, null);
    }

    /**
     * @param lineNumber the line number
     * @param error      why it is not a request
     * @return an unreadable line
     */
    public static CampaignLine unreadable(long lineNumber, String error) {
        return new CampaignLine(lineNumber, null, error);
    }
}
