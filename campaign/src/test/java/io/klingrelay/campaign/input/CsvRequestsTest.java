package io.klingrelay.campaign.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.Priority;
import io.klingrelay.common.event.Product;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvRequestsTest {

    @TempDir
    Path dir;

    @Test
    void typesInputCellsAsDocumented() {
        Path file = CampaignFiles.write(dir, "c.csv", List.of(
                "requestId,accountId,campaignId,priority,product,input.model_name,input.prompt,input.duration,input.n,input.cfg_scale,input.camera_control.type,input.extra,input.flag,input.empty",
                "a,brand-a,camp,interactive,image-generation,kling-v2,\"Line one\nline two, with \"\"quotes\"\"\",10,3,0.5,forward_up,\"{\"\"k\"\":[1,2]}\",true,"));

        try (CampaignReader reader = CampaignReader.open(file, CampaignFormat.CSV)) {
            CampaignLine line = reader.next();
            GenerationRequest request = line.request();

            assertThat(line.lineNumber()).isEqualTo(2);
            assertThat(request.requestId()).isEqualTo("a");
            assertThat(request.priority()).isEqualTo(Priority.INTERACTIVE);
            assertThat(request.product()).isEqualTo(Product.IMAGE_GENERATION);
            assertThat(request.input()).containsEntry("model_name", "kling-v2")
                    .containsEntry("prompt", "Line one\nline two, with \"quotes\"")
                    .containsEntry("duration", "10")
                    .containsEntry("n", 3)
                    .containsEntry("cfg_scale", 0.5)
                    .containsEntry("camera_control", Map.of("type", "forward_up"))
                    .containsEntry("extra", Map.of("k", List.of(1, 2)))
                    .containsEntry("flag", true)
                    .doesNotContainKey("empty");
            assertThat(reader.hasNext()).isFalse();
        }
    }

    @Test
    void theReadmesCsvExampleIsAValidCampaign() throws Exception {
        String readme = java.nio.file.Files.readString(Path.of("..", "README.md"));
        String example = readme.substring(readme.indexOf("```csv\n") + 7, readme.indexOf("```", readme.indexOf("```csv\n") + 7));
        Path file = java.nio.file.Files.writeString(dir.resolve("readme.csv"), example);

        CheckReport report = new FileCheck(AccountCatalog.parse("brand-aurora:5"),
                io.klingrelay.campaign.estimate.UnitsTable.bundled(), null).check(file, CampaignFormat.CSV);

        assertThat(report.problems()).isEmpty();
        assertThat(report.valid()).isEqualTo(2);
        assertThat(report.campaignId()).isEqualTo("summer-2027");
    }

    @Test
    void aCellWithBrokenJsonIsReportedOnItsLine() {
        Path file = CampaignFiles.write(dir, "c.csv", List.of("requestId,accountId,product,input.camera_control",
                "a,brand-a,text-to-video,\"{\"\"type\"\":\""));

        try (CampaignReader reader = CampaignReader.open(file, CampaignFormat.CSV)) {
            CampaignLine line = reader.next();

            assertThat(line.lineNumber()).isEqualTo(2);
            assertThat(line.error()).startsWith("input.camera_control: not valid JSON (");
        }
    }
}
