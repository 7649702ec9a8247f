package io.klingrelay.coordination.admission;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What Redis holds about one account's admission, for operators and metrics.
 *
 * @param accountId       the account
 * @param configuredLimit the limit cap in force: an operator's run-time limit when one is set, else the
 *                        configuration's (0 when never set)
 * @param effectiveLimit  the limit in force (lower than configured after 1303s)
 * @param permitsInUse    permits held now
 * @param queued          requests waiting in the queue
 * @param held            requests of paused campaigns, held aside
 * @param delayed         requests waiting out a retry delay
 * @param dispatching     requests taken for dispatch right now
 * @param operatorPaused  whether an operator paused the account
 * @param pausedUntil     end of an account-error pause, when one is in force or awaiting its probe
 * @param pauseReason     why it is paused, when it is
 * @param orphanedTasks   tasks created by fenced-off dispatches (a second task for a request, or one
 *                        for a request that had ended): Kling runs and bills them; see the orphan list
 * @param unpublishedOutcomes outcomes claimed but not yet acknowledged by Kafka (the outbox)
 * @param limitSetByOperator whether {@code configuredLimit} is an operator's run-time limit (kept
 *                        across submitter restarts until cleared)
 */
public record AccountState(
        String accountId,
        int configuredLimit,
        int effectiveLimit,
        int permitsInUse,
        long queued,
        long held,
        long delayed,
        long dispatching,
        boolean operatorPaused,
        @Nullable Instant pausedUntil,
        @Nullable String pauseReason,
        long orphanedTasks,
        long unpublishedOutcomes,
        boolean limitSetByOperator) {
}
