package io.klingrelay.deploy.demo;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One line of a campaign file, ready to publish on {@code klingrelay.requests}.
 *
 * @param lineNumber the 1-based line number in the file
 * @param requestId  the request id with this run's suffix, or null when the line is not a request at all
 * @param accountId  the record key (account id), or null when unknown
 * @param product    the product's wire name, or null when unknown
 * @param payload    the record value: a GenerationRequest as JSON, or the line as-is when it is not one
 */
public record CampaignEntry(int lineNumber, @Nullable String requestId, @Nullable String accountId,
        @Nullable String product, String payload) {

    public CampaignEntry {
        Objects.requireNonNull(payload, "payload");
    }

    /** @return whether the line was published as-is because it is not a request (the submitter must answer it) */
    public boolean isRaw() {
        return requestId == null;
    }
}
