package io.klingrelay.coordination.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.coordination.publish.PublishException;
import io.klingrelay.coordination.publish.RecordingPublisher;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutcomePublisherTest {

    private final InMemoryOutcomeClaims claims = new InMemoryOutcomeClaims();
    private final RecordingPublisher kafka = new RecordingPublisher();
    private final OutcomePublisher outcomes = new OutcomePublisher(claims, kafka, "archiver");

    @Test
    void aRequestWithoutOutcomeHasNotEndedAndNothingIsPublished() {
        assertThat(outcomes.endedBefore("a", "r-1")).isFalse();

        assertThat(kafka.published()).isEmpty();
    }

    @Test
    void aRequestWhosePublishedOutcomeExistsHasEndedAndIsNotPublishedAgain() {
        RequestFailed failed = failed("r-1");
        assertThat(outcomes.end(failed, ClaimCondition.none()).won()).isTrue();

        assertThat(outcomes.endedBefore("a", "r-1")).isTrue();

        assertThat(kafka.published()).containsExactly(failed);
    }

    @Test
    void anOutcomeClaimedButNeverAcknowledgedIsPublishedWhenAskedWhetherItEnded() {
        // GIVEN a claimant that died after claiming, before Kafka acknowledged
        RequestFailed failed = failed("r-1");
        claims.claim(failed, ClaimCondition.none(), "archiver");

        // WHEN
        boolean ended = outcomes.endedBefore("a", "r-1");

        // THEN
        assertThat(ended).isTrue();
        assertThat(kafka.published()).containsExactly(failed);
        assertThat(claims.find("a", "r-1")).isEmpty();
    }

    @Test
    void kafkaDownWhileRepublishingLeavesTheClaimForTheNextTry() {
        claims.claim(failed("r-1"), ClaimCondition.none(), "archiver");
        kafka.failEverySend();

        assertThatExceptionOfType(PublishException.class).isThrownBy(() -> outcomes.endedBefore("a", "r-1"));

        assertThat(claims.find("a", "r-1")).isPresent();
    }

    private static RequestFailed failed(String requestId) {
        return new RequestFailed(KlingRelayEvent.CURRENT_SCHEMA_VERSION, null, requestId, "a", null,
                FailureStage.ARCHIVE, "download failed", null, null, null, Instant.parse("2026-01-01T00:00:00Z"));
    }
}
