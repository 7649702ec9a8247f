package io.klingrelay.submitter.admin;

import io.klingrelay.common.event.EventIds;
import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.coordination.dispatch.AccountState;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.publish.EventPublisher;
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
 * {@code cancelled}. Requests already in dispatch or on Kling are not cancelled.
 */
public final class AdmissionOperations {

    private static final Logger log = LoggerFactory.getLogger(AdmissionOperations.class);

    private final RequestQueue queue;
    private final KlingProperties kling;
    private final EventPublisher publisher;
    private final SubmitterMetrics metrics;
    private final Clock clock;

    /**
     * @param queue     the per-account queues
     * @param kling     the configured accounts
     * @param publisher the event publisher
     * @param metrics   the metrics catalogue
     * @param clock     the time source
     */
    public AdmissionOperations(RequestQueue queue, KlingProperties kling, EventPublisher publisher,
            SubmitterMetrics metrics, Clock clock) {
        this.queue = queue;
        this.kling = kling;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** @return the admission state of every configured account */
    public List<AccountState> accounts() {
        return kling.accounts().stream().map(account -> queue.state(account.id())).toList();
    }

    /**
     * @param accountId a configured account
     * @param limit     the new configured limit (>= 1)
     * @return the account's state afterwards
     * @throws NoSuchElementException when the account is not configured
     */
    public AccountState setLimit(String accountId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        account(accountId);
        queue.setConfiguredLimit(accountId, limit);
        log.info("limit of account {} set to {} at run time", accountId, limit);
        return queue.state(accountId);
    }

    /**
     * @param accountId a configured account
     * @param paused    pause (true) or resume (false)
     * @return the account's state afterwards
     */
    public AccountState setPaused(String accountId, boolean paused) {
        account(accountId);
        queue.setOperatorPaused(accountId, paused);
        log.info("account {} {} by an operator", accountId, paused ? "paused" : "resumed");
        return queue.state(accountId);
    }

    /**
     * @param campaignId a campaign
     * @param paused     pause (true) or resume (false), on every configured account
     */
    public void setCampaignPaused(String campaignId, boolean paused) {
        for (KlingAccount account : kling.accounts()) {
            if (paused) {
                queue.pauseCampaign(account.id(), campaignId);
            } else {
                queue.resumeCampaign(account.id(), campaignId);
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
        List<RequestQueue.Cancelled> cancelled = queue.cancel(accountId, campaignId);
        for (RequestQueue.Cancelled request : cancelled) {
            publisher.publish(List.of(new RequestFailed(
                    KlingRelayEvent.CURRENT_SCHEMA_VERSION, EventIds.forRequest(request.requestId(), "failed"),
                    request.requestId(), accountId, request.campaignId(), FailureStage.CANCELLED, "cancelled", null,
                    null, null, clock.instant())));
        }
        metrics.cancelled(cancelled.size());
        log.info("cancelled {} waiting request(s) of account {}{}", cancelled.size(), accountId,
                campaignId == null ? "" : " in campaign " + campaignId);
        return cancelled.size();
    }

    private KlingAccount account(String accountId) {
        return kling.account(accountId);
    }
}
