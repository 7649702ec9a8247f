package io.klingrelay.campaign.input;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Why one line of a campaign file will not be published.
 *
 * @param lineNumber the 1-based line number
 * @param requestId  the line's request id, when it has one
 * @param messages   what is wrong, in the submitter's words ({@code input.duration: must be a string, ...})
 */
public record LineProblem(long lineNumber, @Nullable String requestId, List<String> messages) {

    public LineProblem {
        messages = List.copyOf(messages);
    }

    /** @return {@code line 26 (aurora-invalid-002): input.duration: ...; ...} */
    @Override
    public String toString() {
        return "line " + lineNumber + (requestId == null ? "" : " (" + requestId + ")") + ": "
                + String.join("; ", messages);
    }
}
