package io.klingrelay.deploy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.event.ArchivedAsset;
import io.klingrelay.common.event.AssetKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    @Test
    void summaryLineHasExactlyTheDocumentedShapeAndCountsEveryNonTerminalRequestAsPending() {
        Map<RequestState, Integer> counts = Map.of(RequestState.ARCHIVED, 24, RequestState.FAILED, 3,
                RequestState.PROCESSING, 1, RequestState.PENDING, 2, RequestState.ARCHIVING, 1);

        assertThat(Report.summary(counts)).isEqualTo("demo: 24 archived, 3 failed, 4 pending");
    }

    @Test
    void tableShowsOneLinePerArchivedObjectWithItsSizeAndTheReasonOfAFailure() {
        RequestRow archived = new RequestRow("img-1-run", "brand-b", "image-generation", RequestState.ARCHIVED,
                List.of(asset("brand-b/img-1-run/image-0.png", 2_048), asset("brand-b/img-1-run/image-1.png", 900)), null);
        RequestRow failed = new RequestRow("bad-1-run", "brand-a", "text-to-video", RequestState.FAILED, List.of(),
                "validation: duration must be one of 5, 10");

        String table = Report.table(List.of(archived, failed));

        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith("REQUEST").contains("STATE", "SIZE");
        assertThat(lines.get(2)).contains("img-1-run", "brand-b", "archived", "brand-b/img-1-run/image-0.png", "2.0 KiB");
        assertThat(lines.get(3)).startsWith(" ").contains("brand-b/img-1-run/image-1.png", "900 B");
        assertThat(lines.get(4)).contains("bad-1-run", "failed", "validation: duration must be one of 5, 10");
        assertThat(table).doesNotContain("X-Amz-Signature");
    }

    @Test
    void progressNamesEveryStateWithItsCount() {
        assertThat(Report.progress(Map.of(RequestState.PENDING, 2, RequestState.ARCHIVED, 5)))
                .isEqualTo("2 pending, 0 submitted, 0 processing, 0 archiving, 5 archived, 0 failed");
    }

    @Test
    void sizesAreHumanReadable() {
        assertThat(Report.size(812)).isEqualTo("812 B");
        assertThat(Report.size(187_802)).isEqualTo("183.4 KiB");
        assertThat(Report.size(2_202_010)).isEqualTo("2.1 MiB");
    }

    private static ArchivedAsset asset(String key, long size) {
        return new ArchivedAsset(AssetKind.IMAGE, 0, null, "klingrelay-assets", key, size, "cd".repeat(32), "image/png",
                "http://127.0.0.1:1/klingrelay-assets/" + key + "?X-Amz-Signature=secret", Instant.now());
    }
}
