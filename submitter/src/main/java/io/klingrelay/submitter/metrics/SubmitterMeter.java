package io.klingrelay.submitter.metrics;

import io.klingrelay.coordination.metrics.MeterSpec;

/**
 * Every meter of the submitter (STYLE.md 15). Tags come from a fixed set; {@code account} is a
 * configured account id (bounded by configuration), never a request or task id.
 *
 * @see SubmitterMetrics
 */
public enum SubmitterMeter {
    REQUESTS(MeterSpec.counter("klingrelay.submitter.requests",
            "Records read from klingrelay.requests, by outcome (parked, skipped, rejected)", "outcome")),
    DISPATCHES(MeterSpec.counter("klingrelay.submitter.dispatches",
            "Dispatch attempts by outcome: created, adopted (found by external_task_id), permanent, transient, "
                    + "capacity (1303), account (account-level code), orphaned (a fenced-off dispatch's task)", "outcome")),
    CANCELLED(MeterSpec.counter("klingrelay.submitter.cancelled", "Waiting requests cancelled by an operator")),
    WAIT(MeterSpec.timer("klingrelay.submitter.wait", "Time from a request's arrival to its dispatch")),
    QUEUE_DEPTH(MeterSpec.gauge("klingrelay.submitter.queue.depth",
            "Requests waiting in an account's queue (incl. held and delayed)", "account")),
    PERMITS_IN_USE(MeterSpec.gauge("klingrelay.submitter.permits.in.use", "Permits an account holds now", "account")),
    EFFECTIVE_LIMIT(MeterSpec.gauge("klingrelay.submitter.limit.effective",
            "An account's effective concurrency limit (lowered after 1303, climbing back)", "account")),
    PAUSED(MeterSpec.gauge("klingrelay.submitter.account.paused",
            "1 while an account is paused (operator or account error)", "account"));

    private final MeterSpec spec;

    SubmitterMeter(MeterSpec spec) {
        this.spec = spec;
    }

    /** @return the meter's name, description, type and tag keys */
    public MeterSpec spec() {
        return spec;
    }
}
