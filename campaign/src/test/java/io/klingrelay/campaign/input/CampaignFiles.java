package io.klingrelay.campaign.input;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test campaign files. */
public final class CampaignFiles {

    /** The repository's sample campaign (25 valid requests, then 3 invalid lines). */
    public static final Path SAMPLE = Path.of("..", "deploy", "samples", "campaign.jsonl");
    /** The sample's accounts as the local stack configures them. */
    public static final AccountCatalog DEMO_ACCOUNTS = AccountCatalog.parse("brand-aurora:2,brand-borealis:4");

    private CampaignFiles() {
    }

    /**
     * @param id a request id
     * @return a valid text-to-video request line of campaign {@code camp}
     */
    public static String line(String id) {
        return "{\"requestId\":\"" + id + "\",\"accountId\":\"brand-aurora\",\"campaignId\":\"camp\","
                + "\"product\":\"text-to-video\",\"input\":{\"prompt\":\"a paper boat\",\"duration\":\"5\"}}";
    }

    /**
     * @param dir   a folder
     * @param name  the file name
     * @param lines the lines
     * @return the file
     */
    public static Path write(Path dir, String name, List<String> lines) {
        try {
            return Files.write(dir.resolve(name), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
