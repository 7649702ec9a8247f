package io.klingrelay.submitter.dispatch;

import io.klingrelay.common.error.KlingRelayException;
import io.klingrelay.coordination.dispatch.Dispatches;
import io.klingrelay.coordination.permit.Permits;
import io.klingrelay.coordination.task.TaskLedger;
import io.klingrelay.coordination.task.TaskRecord;
import io.klingrelay.klingclient.api.KlingClient;
import io.klingrelay.klingclient.api.KlingTask;
import io.klingrelay.klingclient.api.TaskNotFoundException;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.submitter.config.SubmitterProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * Reconciles expired permit leases against Kling before their slots are reused (ARCHITECTURE.md
 * "Permits live across the asynchronous gap"). A lease expires when neither a terminal status
 * released it nor the poller renewed it (e.g. the poller was down for longer than the lease):
 * <ul>
 *   <li>task still running on Kling → the lease is extended by {@code permit-lease};</li>
 *   <li>task ended on Kling → the task is made due for the poller at once, which publishes the
 *       single terminal event and releases the permit; the lease is extended briefly meanwhile;</li>
 *   <li>Kling knows no such task, or no task was ever recorded and no dispatch holds it → the
 *       permit is released.</li>
 * </ul>
 * A permit whose request is still in dispatch is left to the dispatch lease. Every submitter
 * instance runs a reconciler; each {@linkplain Permits#claimExpired claims} the expired leases it
 * reconciles (extending them by a minute in the same atomic step), so N instances query Kling once
 * per expired lease, not N times, and a lease whose reconciliation failed is tried again after
 * that minute.
 */
public final class PermitReconciler {

    private static final Logger log = LoggerFactory.getLogger(PermitReconciler.class);
    private static final Duration HANDOVER_LEASE = Duration.ofMinutes(1);
    /** Keeps a claimed expired lease from the other instances' reconcilers while this one settles it. */
    private static final Duration CLAIM_LEASE = Duration.ofMinutes(1);

    private final Permits permits;
    private final Dispatches dispatches;
    private final TaskLedger ledger;
    private final KlingClient kling;
    private final SubmitterProperties properties;
    private final Clock clock;

    /**
     * @param permits    the account's permit leases
     * @param dispatches the dispatches in flight
     * @param ledger     the task ledger
     * @param kling      the Kling client
     * @param properties submitter settings
     * @param clock      the time source
     */
    public PermitReconciler(Permits permits, Dispatches dispatches, TaskLedger ledger, KlingClient kling,
            SubmitterProperties properties,
            Clock clock) {
        this.permits = permits;
        this.dispatches = dispatches;
        this.ledger = ledger;
        this.kling = kling;
        this.properties = properties;
        this.clock = clock;
    }

    /** @param account the account whose expired leases to reconcile (a bounded batch per call) */
    public void reconcile(KlingAccount account) {
        for (String holder : permits.claimExpired(account.id(), CLAIM_LEASE, properties.reconcileBatch())) {
            try {
                reconcile(account, holder);
            } catch (KlingRelayException | DataAccessException e) {
                log.warn("could not reconcile the expired permit of request {} (account {}), trying again later: {}",
                        holder, account.id(), e.getMessage());
            }
        }
    }

    private void reconcile(KlingAccount account, String holder) {
        Optional<TaskRecord> record = ledger.find(account.id(), holder);
        if (record.isEmpty()) {
            releaseUnlessDispatching(account, holder);
            return;
        }
        TaskRecord task = record.get();
        Optional<KlingTask> current = query(account, task);
        Instant now = clock.instant();
        if (current.isEmpty()) {
            log.warn("Kling knows no task {} for request {} (account {}); releasing its expired permit", task.taskId(),
                    holder, account.id());
            permits.release(account.id(), holder);
        } else if (current.get().status().isTerminal()) {
            log.warn("task {} of request {} ended on Kling but its permit lease expired first; handing it to the poller",
                    task.taskId(), holder);
            ledger.reschedulePoll(account.id(), holder, Instant.EPOCH);
            permits.extend(account.id(), holder, now.plus(HANDOVER_LEASE));
        } else {
            log.info("task {} of request {} still runs on Kling; extending its permit lease", task.taskId(), holder);
            permits.extend(account.id(), holder, now.plus(properties.permitLease()));
        }
    }

    private Optional<KlingTask> query(KlingAccount account, TaskRecord task) {
        try {
            return Optional.of(kling.queryByTaskId(account, task.product(), task.taskId()));
        } catch (TaskNotFoundException e) {
            return Optional.empty();
        }
    }

    private void releaseUnlessDispatching(KlingAccount account, String holder) {
        if (dispatches.isDispatching(account.id(), holder)) {
            return;
        }
        log.warn("permit of request {} (account {}) has no task and no dispatch; releasing it", holder, account.id());
        permits.release(account.id(), holder);
    }
}
