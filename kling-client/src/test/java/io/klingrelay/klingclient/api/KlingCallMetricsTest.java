package io.klingrelay.klingclient.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.error.AccountException;
import io.klingrelay.common.error.CapacityException;
import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.error.TransientException;
import org.junit.jupiter.api.Test;

/** The outcome tag follows the error class {@link KlingErrors} assigns (kling-api.md §12.1). */
class KlingCallMetricsTest {

    @Test
    void namesEachErrorClassOfTheHierarchy() {
        assertThat(KlingCallMetrics.outcome(null)).isEqualTo("success");
        assertThat(KlingCallMetrics.outcome(KlingErrors.classify(429, 1303, "busy", null))).isEqualTo("capacity")
                .isEqualTo(KlingCallMetrics.outcome(new CapacityException("busy", 1303, 429, null, null)));
        assertThat(KlingCallMetrics.outcome(KlingErrors.classify(500, 5000, "oops", null))).isEqualTo("transient")
                .isEqualTo(KlingCallMetrics.outcome(new TransientException("t", null, 0, null, null)));
        assertThat(KlingCallMetrics.outcome(KlingErrors.classify(400, 1300, "no", null))).isEqualTo("permanent")
                .isEqualTo(KlingCallMetrics.outcome(new PermanentException("p", null, 400, null, null)));
        assertThat(KlingCallMetrics.outcome(KlingErrors.classify(403, 1103, "no", null))).isEqualTo("account")
                .isEqualTo(KlingCallMetrics.outcome(new AccountException("a", 1103, 403, null, null)));
        assertThat(KlingCallMetrics.outcome(new TaskNotFoundException("absent", 1203, 404, null))).isEqualTo("not_found");
    }

    @Test
    void countsAnErrorOutsideTheHierarchyAsPermanent() {
        assertThat(KlingCallMetrics.outcome(new IllegalStateException("bug"))).isEqualTo("permanent");
    }
}
