package io.klingrelay.deploy.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicAuditTest {

    @Test
    void findsTheRecordLocatorAtTheEndOfAnIntakeReason() {
        assertThat(TopicAudit.recordLocator("requestId is too long (700031 chars) [record klingrelay.requests-3@1200]"))
                .isEqualTo("klingrelay.requests-3@1200");
        assertThat(TopicAudit.recordLocator("a [record x] inside [record klingrelay.requests-0@7]"))
                .isEqualTo("klingrelay.requests-0@7");
    }

    @Test
    void aReasonWithoutALocatorNamesNone() {
        assertThat(TopicAudit.recordLocator(null)).isNull();
        assertThat(TopicAudit.recordLocator("Kling refused the task (1201)")).isNull();
        assertThat(TopicAudit.recordLocator("[record cut short")).isNull();
    }
}
