package io.klingrelay.deploy.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.deploy.stack.KlingAccount;
import io.klingrelay.deploy.stack.Service;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ChaosPlanningTest {

    private static final List<KlingAccount> ACCOUNTS = ChaosRun.accounts(4);

    @Test
    void accountsGetLimitsThreeToSix() {
        assertThat(ACCOUNTS).extracting(KlingAccount::concurrency).containsExactly(3, 4, 5, 6);
        assertThat(ACCOUNTS).extracting(KlingAccount::id).containsExactly("chaos-1", "chaos-2", "chaos-3", "chaos-4");
    }

    @Test
    void validRequestsAreSpreadInProportionToTheAccountsLimits() {
        Map<String, Long> perAccount = ChaosCampaign.generate("r3", ACCOUNTS, 180, 0, 5L).stream()
                .collect(Collectors.groupingBy(record -> String.valueOf(record.accountId()), Collectors.counting()));

        assertThat(perAccount).containsExactlyInAnyOrderEntriesOf(Map.of("chaos-1", 30L, "chaos-2", 40L,
                "chaos-3", 50L, "chaos-4", 60L));
    }

    @Test
    void theCampaignHasEveryValidRequestOnceAndHostileRecordsOfEveryKindUnderTheBrokersRecordLimit() {
        List<ChaosRecord> records = ChaosCampaign.generate("r1", ACCOUNTS, 300, 22, 42L);

        List<ChaosRecord> valid = records.stream().filter(ChaosRecord::valid).toList();
        assertThat(valid).hasSize(300);
        assertThat(valid).extracting(ChaosRecord::requestId).doesNotHaveDuplicates();
        valid.forEach(record -> {
            GenerationRequest request = EventJson.mapper().readValue(record.value(), GenerationRequest.class);
            assertThat(request.accountId()).isEqualTo(record.key()).isEqualTo(record.accountId());
            assertThat(request.requestId()).isEqualTo(record.requestId());
        });
        Map<String, Long> kinds = records.stream().filter(record -> !record.valid())
                .collect(Collectors.groupingBy(ChaosRecord::kind, Collectors.counting()));
        assertThat(kinds).hasSize(11).allSatisfy((kind, count) -> assertThat(count).isEqualTo(2));
        assertThat(ChaosCampaign.generate("r1", ACCOUNTS, 0, 20, 42L, java.util.Set.of("id-700kb")))
                .extracting(ChaosRecord::kind).hasSize(20).doesNotContain("id-700kb");
        assertThat(records).allSatisfy(record -> assertThat(record.size()).isLessThan(1_000_000));
        assertThat(records).filteredOn(record -> record.kind().equals("id-700kb"))
                .allSatisfy(record -> assertThat(record.requestId()).hasSizeGreaterThan(ChaosCampaign.HUGE_ID_CHARS));
    }

    @Test
    void theSameSeedGivesTheSameCampaignInTheSameOrder() {
        // the requests' createdAt is the wall clock; ids, kinds, keys and order follow the seed
        assertThat(ChaosCampaign.generate("r1", ACCOUNTS, 20, 11, 7L)).extracting(ChaosRecord::kind,
                ChaosRecord::requestId, ChaosRecord::key).containsExactlyElementsOf(
                        ChaosCampaign.generate("r1", ACCOUNTS, 20, 11, 7L).stream().map(record -> org.assertj.core.groups
                                .Tuple.tuple(record.kind(), record.requestId(), record.key())).toList());
    }

    @Test
    void theScheduleKillsEachServiceTypeAsOftenAsPlannedAndRestartsRedisAndKafka() {
        ChaosPlan plan = ChaosPlan.full(2000, 4, 1L, Duration.ofMinutes(30), true);

        List<ChaosStep> steps = ChaosStep.schedule(plan, new Random(1L));

        assertThat(steps).hasSize(plan.chaosSteps()).hasSize(14);
        Map<String, Long> perTarget = steps.stream().collect(Collectors.groupingBy(ChaosStep::name, Collectors.counting()));
        assertThat(perTarget).containsAllEntriesOf(Map.of(Service.SUBMITTER.moduleName(), 3L,
                Service.WEBHOOK_RECEIVER.moduleName(), 3L, Service.POLLER.moduleName(), 3L,
                Service.ARCHIVER.moduleName(), 3L, "redis-server", 1L, "kafka", 1L));
        for (int i = 1; i < steps.size(); i++) {
            assertThat(steps.get(i)).as("step %d", i).isNotEqualTo(steps.get(i - 1));
        }
    }

    @Test
    void aReportPassesOnlyWhenEveryFigureButTheTimeIsZeroAndPrintsTheDocumentedLines() {
        ChaosReport clean = new ChaosReport(0, 0, 0, 0, 0, 0, 0, 0, 12.34, 0, Duration.ofSeconds(312), List.of());
        ChaosReport lost = new ChaosReport(1, 0, 0, 0, 0, 0, 0, 0, 1.0, 0, Duration.ofSeconds(5), List.of());
        ChaosReport accepted = new ChaosReport(0, 0, 0, 0, 0, 2, 0, 0, 1.0, 0, Duration.ofSeconds(5), List.of());

        assertThat(clean.passed()).isTrue();
        assertThat(lost.passed()).isFalse();
        assertThat(accepted.passed()).isFalse();
        assertThat(clean.lines()).containsExactly(
                "requests lost (no outcome): 0",
                "requests with two outcomes: 0",
                "Kling tasks per external_task_id > 1: 0",
                "permits still held at the end: 0",
                "over-limit running tasks: 0",
                "callbacks accepted: 0",
                "callbacks answered 5xx: 0",
                "events published by hostile callbacks: 0",
                "webhook heap growth: 12.3 MB",
                "hostile records without exactly one requests.failed: 0",
                "wall time: 5m12s");
    }

    @Test
    void withoutTheHostilePassItsFiguresAreLeftOut() {
        ChaosReport report = new ChaosReport(0, 0, 0, 0, 0, -1, -1, -1, Double.NaN, -1, Duration.ofSeconds(42), List.of());

        assertThat(report.passed()).isTrue();
        assertThat(report.lines()).extracting(line -> line.substring(0, line.indexOf(':')))
                .containsExactly("requests lost (no outcome)", "requests with two outcomes",
                        "Kling tasks per external_task_id > 1", "permits still held at the end",
                        "over-limit running tasks", "wall time");
        assertThat(report.lines()).last().isEqualTo("wall time: 42s");
    }

    @Test
    void kindsAreCountedPerRecord() {
        Map<String, ChaosRecord> byKind = ChaosCampaign.generate("r2", ACCOUNTS, 0, 11, 3L).stream()
                .collect(Collectors.toMap(ChaosRecord::kind, Function.identity()));
        assertThat(byKind.get("empty-value").size()).isZero();
        assertThat(byKind.get("not-json").requestId()).isNull();
    }
}
