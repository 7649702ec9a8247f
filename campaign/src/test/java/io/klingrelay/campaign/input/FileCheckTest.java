package io.klingrelay.campaign.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.klingrelay.campaign.estimate.UnitsTable;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCheckTest {

    @TempDir
    Path dir;

    private final FileCheck check = new FileCheck(CampaignFiles.DEMO_ACCOUNTS, UnitsTable.bundled(), null);

    @Test
    void reportsTheSampleCampaignsInvalidLinesByNumber() {
        CheckReport report = check.check(CampaignFiles.SAMPLE, CampaignFormat.JSONL);

        assertThat(report.requestLines()).isEqualTo(27);
        assertThat(report.valid()).isEqualTo(24);
        assertThat(report.campaignId()).isEqualTo("spring-launch-2027");
        assertThat(report.problems()).extracting(LineProblem::lineNumber).containsExactly(25L, 26L, 27L);
        assertThat(report.problems().get(0).toString()).startsWith("line 25 (borealis-invalid-001): input.prompt: must not be longer than 2500 characters");
        assertThat(report.problems().get(1).toString()).isEqualTo("line 26 (aurora-invalid-002): input.duration: must be a string, allowed values for kling-v1-6: \"5\", \"10\"");
        assertThat(report.problems().get(2).toString()).startsWith("line 27: not JSON (");
    }

    @Test
    void aLineThatIsNotJsonIsReportedWithItsNumberAndTheRestIsStillChecked() {
        Path file = CampaignFiles.write(dir, "c.jsonl", List.of(CampaignFiles.line("a"), "", "// a comment",
                "{\"requestId\": \"b\", oops", CampaignFiles.line("c")));

        CheckReport report = check.check(file, CampaignFormat.JSONL);

        assertThat(report.requestLines()).isEqualTo(3);
        assertThat(report.valid()).isEqualTo(2);
        assertThat(report.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.lineNumber()).isEqualTo(4);
            assertThat(problem.messages()).singleElement().asString().startsWith("not JSON (");
        });
        assertThat(report.isInvalid(4)).isTrue();
        assertThat(report.isInvalid(5)).isFalse();
    }

    @Test
    void aJsonValueThatIsNotAnObjectIsNotARequest() {
        Path file = CampaignFiles.write(dir, "c.jsonl", List.of("[1, 2]", "\"text\""));

        CheckReport report = check.check(file, CampaignFormat.JSONL);

        assertThat(report.problems()).extracting(Object::toString)
                .containsExactly("line 1: not a JSON object", "line 2: not a JSON object");
    }

    @Test
    void aDuplicateRequestIdNamesTheLineThatUsedItFirst() {
        Path file = CampaignFiles.write(dir, "c.jsonl", List.of(CampaignFiles.line("a"), CampaignFiles.line("b"),
                CampaignFiles.line("a")));

        CheckReport report = check.check(file, CampaignFormat.JSONL);

        assertThat(report.problems()).extracting(Object::toString)
                .containsExactly("line 3 (a): requestId: 'a' is already used on line 1");
    }

    @Test
    void aSecondCampaignInOneFileIsRefusedOnItsLine() {
        Path file = CampaignFiles.write(dir, "c.jsonl", List.of(CampaignFiles.line("a"),
                CampaignFiles.line("b").replace("\"camp\"", "\"other\"")));

        CheckReport report = check.check(file, CampaignFormat.JSONL);

        assertThat(report.problems()).extracting(Object::toString)
                .containsExactly("line 2 (b): campaignId: 'other' differs from this file's campaign 'camp' (one campaign per file)");
    }

    @Test
    void anUnknownAccountIsReportedWhenTheDeploymentsAccountsAreKnown() {
        Path file = CampaignFiles.write(dir, "c.jsonl", List.of(CampaignFiles.line("a").replace("brand-aurora", "brand-x")));

        assertThat(check.check(file, CampaignFormat.JSONL).problems()).extracting(Object::toString)
                .containsExactly("line 1 (a): accountId: no Kling account 'brand-x' is configured");
        assertThat(new FileCheck(AccountCatalog.unknown(), UnitsTable.bundled(), null).check(file, CampaignFormat.JSONL)
                .allValid()).isTrue();
    }

    @Test
    void aCsvWithoutARequiredColumnIsRefusedAtLine1() {
        Path file = CampaignFiles.write(dir, "c.csv", List.of("requestId,accountId,input.prompt", "a,brand-aurora,boat"));

        assertThatThrownBy(() -> check.check(file, CampaignFormat.CSV)).isInstanceOf(CampaignFileException.class)
                .hasMessage("line 1: missing column product (required: requestId, accountId, product; optional: "
                        + "campaignId, priority, input.<kling field>)");
    }

    @Test
    void aCsvWithAnUnknownColumnIsRefusedAtLine1() {
        Path file = CampaignFiles.write(dir, "c.csv", List.of("requestId,accountId,product,prompt", "a,brand-aurora,text-to-video,boat"));

        assertThatThrownBy(() -> check.check(file, CampaignFormat.CSV)).isInstanceOf(CampaignFileException.class)
                .hasMessageStartingWith("line 1: unknown column prompt");
    }

    @Test
    void csvRecordsAreCheckedWithTheirLineNumbers() {
        Path file = CampaignFiles.write(dir, "c.csv", List.of(
                "requestId,accountId,campaignId,product,input.prompt,input.duration",
                "a,brand-aurora,camp,text-to-video,\"A boat, at dawn\",5",
                "b,brand-aurora,camp,text-to-video,A boat,7",
                "c,brand-aurora,camp,text-to-music,A boat,5",
                "d,brand-aurora,camp,text-to-video,too few"));

        CheckReport report = check.check(file, CampaignFormat.CSV);

        assertThat(report.valid()).isEqualTo(1);
        assertThat(report.problems()).extracting(Object::toString).containsExactly(
                "line 3 (b): input.duration: must be a string, allowed values for kling-v1: \"5\", \"10\"",
                "line 4: product: allowed values: text-to-video, image-to-video, image-generation, multi-image-to-video, "
                        + "video-extend, omni-video (got 'text-to-music')",
                "line 5: 5 fields, the header has 6");
    }

    @Test
    void aHundredThousandLineFileIsStreamedAndItsBadLinesReportedByNumber() throws IOException {
        Path file = dir.resolve("big.jsonl");
        try (BufferedWriter writer = Files.newBufferedWriter(file)) {
            for (int i = 1; i <= 100_000; i++) {
                writer.write(i == 73_421 ? "not json at all" : i == 99_999 ? CampaignFiles.line("r-5") : CampaignFiles.line("r-" + i));
                writer.newLine();
            }
        }

        CheckReport report = check.check(file, CampaignFormat.JSONL);

        assertThat(report.requestLines()).isEqualTo(100_000);
        assertThat(report.valid()).isEqualTo(99_998);
        assertThat(report.problems()).extracting(Object::toString).containsExactly(
                "line 73421: not JSON (Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false'))",
                "line 99999 (r-5): requestId: 'r-5' is already used on line 5");
        assertThat(report.estimate().total()).isEqualByComparingTo("99998");
    }

    @Test
    void onlyTheFirstProblemsAreKeptButAllAreCounted() {
        List<String> lines = java.util.stream.IntStream.rangeClosed(1, FileCheck.MAX_REPORTED + 50).mapToObj(i -> "x" + i).toList();
        Path file = CampaignFiles.write(dir, "c.jsonl", lines);

        CheckReport report = check.check(file, CampaignFormat.JSONL);

        assertThat(report.problems()).hasSize(FileCheck.MAX_REPORTED);
        assertThat(report.problemCount()).isEqualTo(FileCheck.MAX_REPORTED + 50);
    }
}
