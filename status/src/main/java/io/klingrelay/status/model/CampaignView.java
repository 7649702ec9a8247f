package io.klingrelay.status.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One campaign's progress ({@code GET /campaigns/{campaignId}}, and each {@code campaign} event of
 * {@code GET /campaigns/{campaignId}/events}).
 *
 * @param campaignId       the campaign
 * @param total            the number of requests seen
 * @param counts           requests per state ({@code queued}, {@code submitted}, {@code processing},
 *                         {@code generated}, {@code failed}, {@code archived}), zeros included
 * @param accounts         per account, requests per state
 * @param units            the sum of Kling's {@code final_unit_deduction} reported so far
 * @param oldestWaiting    the oldest request not yet terminal, or null
 * @param failuresByReason failed requests grouped by stage and reason, most frequent first
 * @param firstSeenAt      the earliest request time, or null before any
 * @param lastUpdateAt     the newest event time, or null before any
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CampaignView(
        String campaignId,
        long total,
        Map<String, Long> counts,
        Map<String, Map<String, Long>> accounts,
        BigDecimal units,
        @Nullable Waiting oldestWaiting,
        List<FailureCount> failuresByReason,
        @Nullable Instant firstSeenAt,
        @Nullable Instant lastUpdateAt) {
}
