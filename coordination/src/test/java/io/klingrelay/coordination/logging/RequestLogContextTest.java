package io.klingrelay.coordination.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class RequestLogContextTest {

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void setsTheIdsForTheBlockAndRemovesThemAfterwards() {
        try (RequestLogContext ignored = RequestLogContext.open("req-1", "acct-a", null)) {
            assertThat(MDC.getCopyOfContextMap()).containsEntry("requestId", "req-1").containsEntry("accountId", "acct-a")
                    .doesNotContainKey("taskId");
        }

        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void restoresAnOuterContextWhenAnInnerOneCloses() {
        try (RequestLogContext ignored = RequestLogContext.open(null, "acct-a", null)) {
            try (RequestLogContext nested = RequestLogContext.open("req-2", "acct-b", "task-2")) {
                assertThat(MDC.getCopyOfContextMap()).containsEntry("accountId", "acct-b").containsEntry("taskId", "task-2");
            }
            assertThat(MDC.getCopyOfContextMap()).containsExactlyEntriesOf(java.util.Map.of("accountId", "acct-a"));
        }
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }
}
