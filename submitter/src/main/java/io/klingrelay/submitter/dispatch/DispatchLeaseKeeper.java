package io.klingrelay.submitter.dispatch;

import io.klingrelay.coordination.dispatch.Dispatch;
import io.klingrelay.coordination.dispatch.Dispatches;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the dispatch lease of every dispatch this instance holds, every third of the lease, for
 * as long as its lookup and create calls are in flight (ARCHITECTURE.md "A paid generation is
 * never submitted twice"): a create slower than the lease no longer lets the sweep hand the
 * request to another instance. Only a dispatch whose holder stops renewing (the process died or
 * stalled longer than the lease) is recovered; its later writes are then fenced off. A renewal
 * that finds the lease lost stops renewing that dispatch. Redis errors are logged and retried at
 * the next renewal.
 */
public final class DispatchLeaseKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DispatchLeaseKeeper.class);

    private final Dispatches dispatches;
    private final Duration lease;
    private final Set<Dispatch> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService renewer;

    /**
     * @param dispatches the fenced dispatch writes
     * @param lease      the dispatch lease; renewed every third of it
     */
    public DispatchLeaseKeeper(Dispatches dispatches, Duration lease) {
        this.dispatches = dispatches;
        this.lease = lease;
        this.renewer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("dispatch-lease-renewer").daemon(true).factory());
        long period = Math.max(1, lease.toMillis() / 3);
        renewer.scheduleAtFixedRate(this::renewAll, period, period, TimeUnit.MILLISECONDS);
    }

    /** @param dispatch a dispatch that starts its Kling calls now */
    public void hold(Dispatch dispatch) {
        held.add(dispatch);
    }

    /** @param dispatch a dispatch whose Kling calls are over (recorded, retried or failed) */
    public void release(Dispatch dispatch) {
        held.remove(dispatch);
    }

    /** @return how many dispatches are renewed now */
    public int heldCount() {
        return held.size();
    }

    private void renewAll() {
        for (Dispatch dispatch : held) {
            try {
                if (!dispatches.renew(dispatch, lease)) {
                    held.remove(dispatch);
                    log.warn("request {} of account {}: dispatch {} lost its lease while its Kling call was in flight; "
                            + "its writes are fenced off", dispatch.requestId(), dispatch.accountId(), dispatch.fence());
                }
            } catch (RuntimeException e) {
                log.warn("could not renew the dispatch lease of request {}: {}", dispatch.requestId(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        renewer.shutdownNow();
    }
}
