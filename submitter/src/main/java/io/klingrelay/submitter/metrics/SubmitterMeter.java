package io.klingrelay.submitter.metrics;

import java.util.List;

/**
 * Every meter of the submitter (STYLE.md 15). Tags come from a fixed set; {@code account} is a
 * configured account id (bounded by configuration), never a request or task id.
 *
 * @see SubmitterMetrics
 */
public enum SubmitterMeter {
    REQUESTS("klingrelay.submitter.requests", "Records read from klingrelay.requests, by outcome (parked, skipped, rejected)",
            Type.COUNTER, List.of("outcome")),
    DISPATCHES("klingrelay.submitter.dispatches",
            "Dispatch attempts by outcome: created, adopted (found by external_task_id), permanent, transient, "
                    + "capacity (1303), account (account-level code)",
            Type.COUNTER, List.of("outcome")),
    CANCELLED("klingrelay.submitter.cancelled", "Waiting requests cancelled by an operator", Type.COUNTER, List.of()),
    WAIT("klingrelay.submitter.wait", "Time from a request's arrival to its dispatch", Type.TIMER, List.of()),
    QUEUE_DEPTH("klingrelay.submitter.queue.depth", "Requests waiting in an account's queue (incl. held and delayed)",
            Type.GAUGE, List.of("account")),
    PERMITS_IN_USE("klingrelay.submitter.permits.in.use", "Permits an account holds now", Type.GAUGE, List.of("account")),
    EFFECTIVE_LIMIT("klingrelay.submitter.limit.effective",
            "An account's effective concurrency limit (lowered after 1303, climbing back)", Type.GAUGE, List.of("account")),
    PAUSED("klingrelay.submitter.account.paused", "1 while an account is paused (operator or account error)",
            Type.GAUGE, List.of("account"));

    private final String meterName;
    private final String description;
    private final Type type;
    private final List<String> tagKeys;

    SubmitterMeter(String meterName, String description, Type type, List<String> tagKeys) {
        this.meterName = meterName;
        this.description = description;
        this.type = type;
        this.tagKeys = tagKeys;
    }

    /** @return the meter name */
    public String meterName() {
        return meterName;
    }

    /** @return the description shown by metric backends */
    public String description() {
        return description;
    }

    /** @return counter, timer or gauge */
    public Type type() {
        return type;
    }

    /** @return the tag keys this meter carries */
    public List<String> tagKeys() {
        return tagKeys;
    }

    /** Meter kinds. */
    public enum Type {
        COUNTER, TIMER, GAUGE
    }
}
