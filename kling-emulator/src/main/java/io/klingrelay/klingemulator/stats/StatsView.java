package io.klingrelay.klingemulator.stats;

import java.util.Map;

/**
 * Body of {@code GET /admin/stats}; the field names are a contract the pipeline's tests read.
 *
 * @param accounts per account id
 * @param callbacks delivery totals
 */
public record StatsView(Map<String, AccountStats> accounts, CallbackStats callbacks) {

    /**
     * @param creates successful creates (a duplicate answered with the existing task is not one)
     * @param duplicateExternalTaskIds creates whose {@code external_task_id} the account had used before,
     *     counted under every duplicate policy (also when rejected)
     * @param maxRunning high-water mark of running slots
     * @param running slots held now
     * @param capacityRejections 1303 answers
     * @param errorCodes count per non-zero code answered to this account (1201 and 1303 always listed)
     * @param purged ended tasks removed with their assets once {@code asset-retention} had passed
     */
    public record AccountStats(long creates, long duplicateExternalTaskIds, int maxRunning, int running,
            long capacityRejections, Map<String, Long> errorCodes, long purged) {
    }

    /**
     * @param sent deliveries answered with HTTP 200
     * @param failed deliveries given up after all retries
     * @param dropped deliveries never sent because of an injected drop fault
     */
    public record CallbackStats(long sent, long failed, long dropped) {
    }
}
