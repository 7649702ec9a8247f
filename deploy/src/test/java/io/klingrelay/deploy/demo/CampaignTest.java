package io.klingrelay.deploy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.json.EventJson;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class CampaignTest {

    private static final Path SAMPLE = Path.of("samples/campaign.jsonl");

    @Test
    void sampleCampaignHasAtLeast24RequestsOverTwoAccountsAndAllThreeProducts() {
        List<CampaignEntry> entries = Campaign.read(SAMPLE, "r1", UnaryOperator.identity());

        List<CampaignEntry> requests = entries.stream().filter(entry -> !entry.isRaw()).toList();
        assertThat(requests).hasSizeGreaterThanOrEqualTo(24);
        assertThat(requests).extracting(CampaignEntry::accountId).containsOnly("brand-aurora", "brand-borealis");
        assertThat(requests).extracting(CampaignEntry::product)
                .contains("text-to-video", "image-to-video", "image-generation");
    }

    @Test
    void sampleCampaignHasCameraControlNegativePromptsAnInvalidRequestAndOneLineThatIsNoRequest() {
        List<GenerationRequest> requests = Campaign.read(SAMPLE, "r1", UnaryOperator.identity()).stream()
                .filter(entry -> !entry.isRaw()).map(CampaignTest::request).toList();

        assertThat(requests).anyMatch(request -> request.input().containsKey("camera_control"));
        assertThat(requests).anyMatch(request -> request.input().containsKey("negative_prompt"));
        assertThat(requests).anyMatch(request -> String.valueOf(request.input().get("prompt")).length() > 2500);
        assertThat(requests).anyMatch(request -> "7".equals(request.input().get("duration")));
        assertThat(requests).allMatch(request -> "spring-launch-2027".equals(request.campaignId()));
        assertThat(Campaign.read(SAMPLE, "r1", UnaryOperator.identity())).filteredOn(CampaignEntry::isRaw).hasSize(1);
    }

    @Test
    void suffixesEveryRequestIdWithTheRunIdAndKeysByAccount() {
        String line = "{\"requestId\":\"spring-0001\",\"accountId\":\"brand-a\",\"product\":\"text-to-video\","
                + "\"input\":{\"prompt\":\"A paper boat\",\"duration\":\"5\"}}";

        CampaignEntry entry = Campaign.parse(List.of(line), "x9z", UnaryOperator.identity()).getFirst();

        assertThat(entry.requestId()).isEqualTo("spring-0001-x9z");
        assertThat(entry.accountId()).isEqualTo("brand-a");
        assertThat(request(entry).input()).containsEntry("duration", "5").containsEntry("prompt", "A paper boat");
    }

    @Test
    void mapsAccountsOntoTheConfiguredOneInRealKlingMode() {
        String line = "{\"requestId\":\"r-1\",\"accountId\":\"brand-a\",\"product\":\"image-generation\",\"input\":{\"prompt\":\"p\"}}";

        CampaignEntry entry = Campaign.parse(List.of(line), "run", account -> "default").getFirst();

        assertThat(entry.accountId()).isEqualTo("default");
        assertThat(request(entry).accountId()).isEqualTo("default");
    }

    @Test
    void keepsALineThatIsNotARequestAsItIsAndSkipsBlankAndCommentLines() {
        List<CampaignEntry> entries = Campaign.parse(List.of("", "// a comment", "not,json,at,all", "[1,2]"),
                "run", UnaryOperator.identity());

        assertThat(entries).extracting(CampaignEntry::payload).containsExactly("not,json,at,all", "[1,2]");
        assertThat(entries).allMatch(CampaignEntry::isRaw);
        assertThat(entries).extracting(CampaignEntry::lineNumber).containsExactly(3, 4);
    }

    private static GenerationRequest request(CampaignEntry entry) {
        return EventJson.mapper().readValue(entry.payload(), GenerationRequest.class);
    }

}
