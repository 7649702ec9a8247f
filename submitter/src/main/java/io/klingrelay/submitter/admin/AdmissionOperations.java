package io.klingrelay.submitter.admin;

import io.klingrelay.common.event.EventIds;
import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.coordination.admission.AccountAdmission;
import io.klingrelay.coordination.admission.AccountState;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.outcome.Claim;
import io.klingrelay.coordination.outcome.ClaimCondition;
import io.klingrelay.coordination.outcome.OutcomePublisher;
import io.klingrelay.coordination.publish.PublishException;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import io.klingrelay.submitter.metrics.SubmitterMetrics;
import java.time.Clock;
import java.util.List;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run-time operations on admission, shared by every submitter instance because the state lives in
 * Redis: change an account's limit without a restart (until the next restart, when the
 * configuration applies again), pause and resume an account or a campaign, and cancel waiting
 * requests, each of which ends with a {@code klingrelay.requests.failed} event of stage
 * {@code cancelled}. Each cancel claims the request's one outcome first, in the same atomic step
 * that checks it is still waiting, so a cancel racing a dispatch or a success cannot give a request
 * two outcomes, and an event Kafka does not acknowledge is published later by the outbox. Requests
 * in dispatch, on Kling, or waiting to retry a create that may have reached Kling are not cancelled.
 */
public final class AdmissionOperations {

    private static final Logger log = LoggerFactory.getLogger(AdmissionOperations.class);
    /** Cancelled requests claimed, then published together and awaited at once. */
    private static final int CANCEL_BATCH = 500;

    private final RequestQueue queue;
    private final AccountAdmission admission;
    private final KlingProperties kling;
    private final OutcomePublisher outcomes;
    private final SubmitterMetrics metrics;
    private final Clock clock;

    /**
     * @param queue     the per-account queues
     * @param admission the accounts' limits, pauses and state
     * @param kling     the configured accounts
     * @param outcomes  ends cancelled requests with their one outcome
     * @param metrics   the metrics catalogue
     * @param clock     the time source
     */
    public AdmissionOperations(RequestQueue queue, AccountAdmission admission, KlingProperties kling,
            OutcomePublisher outcomes, SubmitterMetrics metrics, Clock clock) {
        this.queue = queue;
        this.admission = admission;
        this.kling = kling;
        this.outcomes = outcomes;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** @return the admission state of every configured account */
    public List<AccountState> accounts() {
        return kling.accounts().stream().map(account -> admission.state(account.id())).toList();
    }

    /**
     * Sets the account's limit at run time, for every submitter, until {@link #clearLimit}: a
     * submitter that starts later (a restart, another replica) does not undo it.
     *
     * @param accountId a configured account
     * @param limit     the new limit (>= 1)
     * @return the account's state afterwards
     * @throws IllegalArgumentException when the limit is below 1
     * @throws NoSuchElementException   when the account is not configured
     */
    public AccountState setLimit(String accountId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        account(accountId);
        admission.setOperatorLimit(accountId, limit);
        log.info("limit of account {} set to {} at run time", accountId, limit);
        return admission.state(accountId);
    }

    /**
     * Drops a run-time limit: the configuration's limit is in force again.
     *
     * @param accountId a configured account
     * @return the account's state afterwards
     * @throws NoSuchElementException when the account is not configured
     */
    public AccountState clearLimit(String accountId) {
        account(accountId);
        admission.clearOperatorLimit(accountId);
        log.info("run-time limit of account {} cleared; the configured limit is in force", accountId);
        return admission.state(accountId);
    }

    /**
     * @param accountId a configured account
     * @param paused    pause (true) or resume (false)
     * @return the account's state afterwards
     */
    public AccountState setPaused(String accountId, boolean paused) {
        account(accountId);
        admission.setOperatorPaused(accountId, paused);
        log.info("account {} {} by an operator", accountId, paused ? "paused" : "resumed");
        return admission.state(accountId);
    }

    /**
     * @param campaignId a campaign
     * @param paused     pause (true) or resume (false), on every configured account
     */
    public void setCampaignPaused(String campaignId, boolean paused) {
        for (KlingAccount account : kling.accounts()) {
            if (paused) {
                admission.pauseCampaign(account.id(), campaignId);
            } else {
                admission.resumeCampaign(account.id(), campaignId);
            }
        }
        log.info("campaign {} {} by an operator", campaignId, paused ? "paused" : "resumed");
    }

    /**
     * @param accountId a configured account
     * @return how many waiting requests were cancelled
     */
    public int cancelAccount(String accountId) {
        account(accountId);
        return cancel(accountId, null);
    }

    /**
     * @param campaignId a campaign
     * @return how many waiting requests were cancelled, over all accounts
     */
    public int cancelCampaign(String campaignId) {
        return kling.accounts().stream().mapToInt(account -> cancel(account.id(), campaignId)).sum();
    }

    private int cancel(String accountId, @Nullable String campaignId) {
        List<RequestQueue.Waiting> waiting = queue.waiting(accountId, campaignId);
        int cancelled = 0;
        int mayExist = 0;
        for (int from = 0; from < waiting.size(); from += CANCEL_BATCH) {
            List<RequestFailed> batch = waiting.subList(from, Math.min(waiting.size(), from + CANCEL_BATCH)).stream()
                    .map(request -> cancelled(accountId, request)).toList();
            for (Claim claim : cancelBatch(accountId, batch)) {
                cancelled += claim.won() ? 1 : 0;
                mayExist += claim instanceof Claim.MayExist ? 1 : 0;
            }
        }
        metrics.cancelled(cancelled);
        log.info("cancelled {} waiting request(s) of account {}{}{}", cancelled, accountId,
                campaignId == null ? "" : " in campaign " + campaignId,
                mayExist == 0 ? "" : "; " + mayExist + " not cancelled: a create of theirs may have reached Kling");
        return cancelled;
    }

    private RequestFailed cancelled(String accountId, RequestQueue.Waiting request) {
        return new RequestFailed(KlingRelayEvent.CURRENT_SCHEMA_VERSION,
                EventIds.forRequest(accountId, request.requestId(), "failed"), request.requestId(), accountId,
                request.campaignId(), FailureStage.CANCELLED, "cancelled", null, null, null, clock.instant());
    }

    private List<Claim> cancelBatch(String accountId, List<RequestFailed> batch) {
        try {
            return outcomes.endAll(batch, ClaimCondition.waiting());
        } catch (PublishException e) {
            // claimed: the outbox publishes them once Kafka is back
            log.warn("{} request(s) of account {} cancelled; their events are published later: {}", batch.size(),
                    accountId, e.getMessage());
            return batch.stream().map(failed -> (Claim) new Claim.Claimed()).toList();
        }
    }

    private KlingAccount account(String accountId) {
        return kling.account(accountId);
    }
}
