package io.klingrelay.coordination.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

class AcksTest {

    private static final Duration TIMEOUT = Duration.ofMillis(50);

    @Test
    void returnsTheResultOnceKafkaAcknowledged() {
        assertThat(Acks.sendAndAwait(() -> CompletableFuture.completedFuture("p0@42"), TIMEOUT, "a dead letter"))
                .isEqualTo("p0@42");
    }

    @Test
    void aRefusalCarriesKafkasOwnErrorAsCause() {
        RecordTooLargeException tooLarge = new RecordTooLargeException("1.4 MB");

        assertThatExceptionOfType(PublishException.class)
                .isThrownBy(() -> Acks.sendAndAwait(() -> CompletableFuture.failedFuture(tooLarge), TIMEOUT,
                        "a dead letter on klingrelay.requests.dlt"))
                .withMessage("Kafka refused a dead letter on klingrelay.requests.dlt: RecordTooLargeException")
                .withCause(tooLarge);
    }

    @Test
    void aProducerThatCannotTakeTheRecordIsARefusalToo() {
        KafkaException noMetadata = new KafkaException("no metadata within max.block.ms");

        assertThatExceptionOfType(PublishException.class)
                .isThrownBy(() -> Acks.sendAndAwait(() -> {
                    throw noMetadata;
                }, TIMEOUT, "TaskSubmitted for request r-1"))
                .withMessage("Kafka refused TaskSubmitted for request r-1: KafkaException")
                .withCause(noMetadata);
    }

    @Test
    void noAcknowledgementWithinTheTimeoutFails() {
        assertThatExceptionOfType(PublishException.class)
                .isThrownBy(() -> Acks.sendAndAwait(CompletableFuture::new, TIMEOUT, "RequestFailed"))
                .withMessage("Kafka did not acknowledge RequestFailed within PT0.05S")
                .withCauseInstanceOf(TimeoutException.class);
    }

    @Test
    void aPassedDeadlineStillAcceptsAnAcknowledgementThatArrivedMeanwhile() {
        long passed = System.nanoTime() - Duration.ofSeconds(1).toNanos();

        assertThat(Acks.await(CompletableFuture.completedFuture("ok"), passed, TIMEOUT, "RequestFailed"))
                .isEqualTo("ok");
        assertThatExceptionOfType(PublishException.class)
                .isThrownBy(() -> Acks.await(new CompletableFuture<String>(), passed, TIMEOUT, "RequestFailed"));
    }

    @Test
    void anInterruptedWaitFailsAndKeepsTheInterruptFlag() {
        Thread.currentThread().interrupt();
        try {
            assertThatExceptionOfType(PublishException.class)
                    .isThrownBy(() -> Acks.sendAndAwait(CompletableFuture::new, Duration.ofSeconds(5), "RequestFailed"))
                    .withMessage("interrupted while waiting for Kafka to acknowledge RequestFailed");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
