package io.klingrelay.coordination.dispatch;

import io.klingrelay.coordination.admission.AdmissionPolicy;

/** Why a taken request goes back to wait, which decides its budget (see {@link AdmissionPolicy}). */
public enum RetryKind {
    /** 1302, 5000–5002, timeouts: spends one attempt. */
    TRANSIENT,
    /** 1303: spends no attempt, lowers the account's effective limit. */
    CAPACITY,
    /** An account-level code: spends no attempt, pauses the whole account. */
    ACCOUNT;

    String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
