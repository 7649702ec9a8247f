package io.klingrelay.deploy.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MetricNamesTest {

    @Test
    void readsMetricNamesButNotFunctionsLabelsKeywordsOrDurationsFromPromQl() {
        assertThat(MetricNames.inPromQl("sum by (account) (rate(klingrelay_kling_calls_seconds_count{outcome=~\"a|b\", "
                + "operation=\"create\"}[5m])) / on (account) group_left sum by (account) "
                + "(increase(klingrelay_submitter_dispatches_total[30m:1m] offset 5m)) > 0.2 and up == bool 1"))
                .containsExactlyInAnyOrder("klingrelay_kling_calls_seconds_count", "klingrelay_submitter_dispatches_total",
                        "up");
        assertThat(MetricNames.inPromQl("max(klingrelay_submitter_wait_seconds_max) > 1e3"))
                .containsExactly("klingrelay_submitter_wait_seconds_max");
    }

    @Test
    void readsSampleNamesFromAScrape() {
        String scrape = """
                # HELP klingrelay_kling_calls_seconds Kling API calls
                # TYPE klingrelay_kling_calls_seconds summary
                klingrelay_kling_calls_seconds_count{account="a",operation="create"} 3
                klingrelay_kling_calls_seconds_sum{account="a",operation="create"} 0.5
                process_uptime_seconds 12.0
                """;

        assertThat(MetricNames.inScrape(scrape)).containsExactly("klingrelay_kling_calls_seconds_count",
                "klingrelay_kling_calls_seconds_sum", "process_uptime_seconds");
    }

    @Test
    void findsTheMetricsOfTheShippedDashboardRulesAndReadme() {
        assertThat(MetricNames.inDashboard(Path.of("observability/klingrelay-dashboard.json")))
                .contains("klingrelay_submitter_queue_depth", "klingrelay_kling_calls_seconds_count")
                .allSatisfy(name -> assertThat(name).matches("[a-z_:][a-z0-9_:]*"));
        assertThat(MetricNames.inRules(Path.of("observability/klingrelay-alerts.yml")))
                .contains("klingrelay_submitter_account_paused", "klingrelay_archiver_assets_total")
                .allSatisfy(name -> assertThat(name).startsWith("klingrelay_"));
        assertThat(MetricNames.inReadmeCatalogue(Path.of("../README.md")))
                .contains("klingrelay_kling_calls_seconds_count", "klingrelay_webhook_receiver_callbacks_received_total");
    }
}
