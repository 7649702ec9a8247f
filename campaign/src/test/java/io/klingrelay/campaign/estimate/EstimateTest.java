package io.klingrelay.campaign.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.klingrelay.campaign.input.CampaignFiles;
import io.klingrelay.campaign.input.CampaignFormat;
import io.klingrelay.campaign.input.CheckReport;
import io.klingrelay.campaign.input.FileCheck;
import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.Product;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EstimateTest {

    @TempDir
    Path dir;

    private static GenerationRequest request(Product product, Map<String, Object> input) {
        return new GenerationRequest(1, null, "r", "a", "c", null, product, input, null);
    }

    @Test
    void pricesVideosByModelModeAndDurationAndImagesPerImage() {
        Estimate estimate = new Estimate(UnitsTable.bundled());

        estimate.add(request(Product.TEXT_TO_VIDEO, Map.of("model_name", "kling-v1-6", "mode", "pro", "duration", "10")));
        estimate.add(request(Product.TEXT_TO_VIDEO, Map.of("prompt", "defaults: kling-v1 std 5 s")));
        estimate.add(request(Product.IMAGE_GENERATION, Map.of("model_name", "kling-v3", "n", 2)));

        assertThat(estimate.total()).isEqualByComparingTo("24"); // 3.5 * 2 + 1 + 8 * 2
        assertThat(estimate.lines()).containsEntry("text-to-video kling-v1-6 pro 10s", new Estimate.Line(1, 0, new java.math.BigDecimal("7.0")))
                .containsKey("image-generation kling-v3 (per image)");
        assertThat(estimate.unpriced()).isZero();
    }

    @Test
    void estimatesTheSampleCampaignsValidLines() {
        CheckReport report = new FileCheck(CampaignFiles.DEMO_ACCOUNTS, UnitsTable.bundled(), null)
                .check(CampaignFiles.SAMPLE, CampaignFormat.JSONL);

        assertThat(report.estimate().lines().values().stream().mapToLong(Estimate.Line::requests).sum()).isEqualTo(24);
        assertThat(report.estimate().total()).isPositive();
        assertThat(report.estimate().render()).contains("total").contains("text-to-video kling-v1-6 std 5s");
    }

    @Test
    void aTableFromTheCommandLineReplacesTheBundledOneAndUnmatchedRequestsAreCountedApart() throws Exception {
        Path table = Files.writeString(dir.resolve("units.csv"), "# mine\ntext-to-video,*,*,5,2.5\n");
        Estimate estimate = new Estimate(UnitsTable.read(table));

        estimate.add(request(Product.TEXT_TO_VIDEO, Map.of("duration", "5")));
        estimate.add(request(Product.IMAGE_TO_VIDEO, Map.of("duration", "5")));

        assertThat(estimate.total()).isEqualByComparingTo("2.5");
        assertThat(estimate.unpriced()).isEqualTo(1);
        assertThat(estimate.render()).contains("1 request(s) match no units-table row");
    }

    @Test
    void aMalformedTableRowNamesItsLine() throws Exception {
        Path table = Files.write(dir.resolve("units.csv"), List.of("# header", "text-to-video,*,*,5"));

        assertThatThrownBy(() -> UnitsTable.read(table)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("line 2: needs 5 columns product,model,mode,duration,units, got 4");
    }
}
