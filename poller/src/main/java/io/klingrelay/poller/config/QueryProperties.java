package io.klingrelay.poller.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the poller asks Kling: {@code klingrelay.poller.queries.*} (issue 9, "Completion at scale").
 * The due tasks of one account and product are settled with the list endpoint
 * ({@code GET <path>?pageNum=&pageSize=}, kling-api.md §10.4) over the pages that cover them; a task
 * no page answered gets a single query. Every Kling call (a list page or a single query) takes a token
 * of the account's per-second budget, shared by every poller instance through Redis.
 *
 * @param ratePerSecond Kling queries per second per account, all poller instances together, 1–1000;
 *                      default 5 (Kling documents no query limit, kling-api.md §13; its costs endpoint asks ≤ 1 QPS)
 * @param rateWait      how long a single query waits for a token before its task is rescheduled; default 2 s
 * @param listEnabled   settle due tasks with list pages; false = single queries only; default true
 * @param listMinTasks  an account's due tasks of one product needed to use the list, 1–500; default 2
 * @param listPageSize  {@code pageSize} of a list page, 1–500; default 500
 * @param listMaxPages  pages read per account and product in one sweep, 1–1000; default 4
 */
@Validated
@ConfigurationProperties("klingrelay.poller.queries")
public record QueryProperties(
        @Min(1) @Max(1000) @DefaultValue("5") int ratePerSecond,
        @NotNull @DefaultValue("2s") Duration rateWait,
        @DefaultValue("true") boolean listEnabled,
        @Min(1) @Max(500) @DefaultValue("2") int listMinTasks,
        @Min(1) @Max(500) @DefaultValue("500") int listPageSize,
        @Min(1) @Max(1000) @DefaultValue("4") int listMaxPages) {

    /** @return the documented defaults */
    public static QueryProperties defaults() {
        return new QueryProperties(5, Duration.ofSeconds(2), true, 2, 500, 4);
    }
}
