package io.klingrelay.submitter.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.BDDMockito.any;
import static org.mockito.BDDMockito.atLeastOnce;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.mock;
import static org.mockito.BDDMockito.then;

import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.kafka.Headers;
import io.klingrelay.klingclient.request.Bounded;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.kafka.core.KafkaProducerException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

class DeadLetterPublisherTest {

    private static final SourceRecord SOURCE = new SourceRecord("klingrelay.requests", 2, 1041);

    @SuppressWarnings("unchecked")
    private final KafkaTemplate<String, byte[]> template = mock(KafkaTemplate.class);
    private final DeadLetterPublisher publisher = new DeadLetterPublisher(template, Duration.ofSeconds(1), 10_000);

    @Test
    void copiesARecordThatFitsWithHeadersPointingAtTheOriginal() {
        givenKafkaAcceptsEverything();

        boolean copied = publisher.deadLetter("dlt", SOURCE, "brand-a", bytes("{\"x\":1}"), FailureStage.VALIDATION,
                "input.prompt: must not be blank");

        ProducerRecord<String, byte[]> sent = sent().getFirst();
        assertThat(copied).isTrue();
        assertThat(sent.value()).isEqualTo(bytes("{\"x\":1}"));
        assertThat(sent.key()).isEqualTo("brand-a");
        assertThat(header(sent, Headers.SOURCE_TOPIC)).isEqualTo("klingrelay.requests");
        assertThat(header(sent, Headers.SOURCE_PARTITION)).isEqualTo("2");
        assertThat(header(sent, Headers.SOURCE_OFFSET)).isEqualTo("1041");
        assertThat(header(sent, Headers.FAILURE_STAGE)).isEqualTo("validation");
    }

    @Test
    void pointsAtARecordTooLargeToCopyWithBoundedKeyAndReason() {
        givenKafkaAcceptsEverything();

        boolean copied = publisher.deadLetter("dlt", SOURCE, "k".repeat(50_000), new byte[9_900],
                FailureStage.VALIDATION, "r".repeat(50_000));

        ProducerRecord<String, byte[]> sent = sent().getFirst();
        assertThat(copied).isFalse();
        assertThat(sent.value()).isNull();
        assertThat(sent.key()).hasSizeLessThanOrEqualTo(78);
        assertThat(header(sent, Headers.FAILURE_REASON)).hasSize(Bounded.MAX_REASON).startsWith("original value (9900 bytes) not copied");
        assertThat(header(sent, Headers.SOURCE_OFFSET)).isEqualTo("1041");
    }

    @Test
    void fallsBackToAReferenceWhenTheBrokerRefusesTheCopy() {
        given(template.send(any(ProducerRecord.class)))
                .willReturn(CompletableFuture.failedFuture(new KafkaProducerException(null, "refused",
                        new RecordTooLargeException("over max.message.bytes"))))
                .willReturn(CompletableFuture.completedFuture(null));

        boolean copied = publisher.deadLetter("dlt", SOURCE, "brand-a", bytes("{}"), FailureStage.VALIDATION, "why");

        assertThat(copied).isFalse();
        assertThat(sent()).hasSize(2).last().satisfies(record -> assertThat(record.value()).isNull());
    }

    @Test
    void reportsAPermanentRefusalOfTheReferenceItself() {
        given(template.send(any(ProducerRecord.class))).willReturn(CompletableFuture.failedFuture(
                new KafkaProducerException(null, "refused", new RecordTooLargeException("tiny limit"))));

        assertThatThrownBy(() -> publisher.deadLetter("dlt", SOURCE, null, null, FailureStage.VALIDATION, "why"))
                .isInstanceOf(PermanentException.class).hasMessageContaining("RecordTooLargeException");
    }

    @SuppressWarnings("unchecked")
    private void givenKafkaAcceptsEverything() {
        given(template.send(any(ProducerRecord.class)))
                .willReturn(CompletableFuture.completedFuture((SendResult<String, byte[]>) null));
    }

    @SuppressWarnings("unchecked")
    private List<ProducerRecord<String, byte[]>> sent() {
        ArgumentCaptor<ProducerRecord<String, byte[]>> records = ArgumentCaptor.forClass(ProducerRecord.class);
        then(template).should(atLeastOnce()).send(records.capture());
        return records.getAllValues();
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
