package io.klingrelay.campaign.input;

import java.nio.file.Path;
import java.util.Locale;

/** The two campaign file formats; chosen by the file name ({@code .csv} is CSV, anything else JSON Lines). */
public enum CampaignFormat {
    /** One {@code GenerationRequest} JSON object per line; blank lines and lines starting with {@code //} are skipped. */
    JSONL,
    /** A header row, then one request per record (RFC 4180 quoting); see {@link CsvRequests} for the columns. */
    CSV;

    /**
     * @param file a campaign file
     * @return CSV for {@code *.csv}, else JSONL
     */
    public static CampaignFormat of(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? CSV : JSONL;
    }
}
