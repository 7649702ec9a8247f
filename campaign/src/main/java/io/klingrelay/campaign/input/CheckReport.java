package io.klingrelay.campaign.input;

import io.klingrelay.campaign.estimate.Estimate;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@link FileCheck} found in a campaign file.
 *
 * @param file         the file
 * @param sha256       the file's SHA-256 (hex), the journal's identity of "the same file"
 * @param campaignId   the file's campaign, or null when no line names one and none was given
 * @param requestLines lines that are meant as requests (blank and {@code //} lines not counted)
 * @param valid        lines that pass every check
 * @param problems     the first {@link FileCheck#MAX_REPORTED} problems, in line order
 * @param problemCount all invalid lines
 * @param invalid      the line numbers of invalid lines (bit per line)
 * @param estimate     units of the valid lines
 */
public record CheckReport(Path file, String sha256, @Nullable String campaignId, long requestLines, long valid,
        List<LineProblem> problems, long problemCount, BitSet invalid, Estimate estimate) {

    public CheckReport {
        problems = List.copyOf(problems);
        invalid = (BitSet) invalid.clone();
    }

    /**
     * @param lineNumber a line number
     * @return whether that line is invalid (and is not published)
     */
    public boolean isInvalid(long lineNumber) {
        return lineNumber <= Integer.MAX_VALUE && invalid.get((int) lineNumber);
    }

    /** @return whether every request line is valid */
    public boolean allValid() {
        return problemCount == 0;
    }
}
