package io.klingrelay.submitter.publish;

import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.error.TransientException;
import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.kafka.Headers;
import io.klingrelay.coordination.publish.Acks;
import io.klingrelay.coordination.publish.PublishException;
import io.klingrelay.klingclient.request.Bounded;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Dead-letters a rejected record and waits for Kafka's acknowledgement, so the caller commits its
 * offset only afterwards ({@link Acks}; events go through coordination's {@code EventPublisher}).
 *
 * <p>The dead-letter record carries a byte-for-byte copy of the original value when that copy,
 * with its key and headers, fits under the producer's {@code max.request.size} and the broker
 * accepts it; otherwise it carries no value, only headers that point at the original (which stays
 * on its topic until retention removes it). Headers, all bounded: {@link Headers#FAILURE_STAGE},
 * {@link Headers#FAILURE_REASON} (at most {@value Bounded#MAX_REASON} characters),
 * {@link Headers#SOURCE_TOPIC}, {@link Headers#SOURCE_PARTITION} and {@link Headers#SOURCE_OFFSET}.
 * The key is the original key, {@linkplain Bounded#id bounded}.
 */
public final class DeadLetterPublisher {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterPublisher.class);
    /** Upper bound of Kafka's framing of one record in its own batch (61 bytes of batch header, record varints). */
    private static final int RECORD_OVERHEAD = 128;
    /** Upper bound of one header's framing (varint lengths), bytes. */
    private static final int HEADER_OVERHEAD = 10;

    private final KafkaTemplate<String, byte[]> template;
    private final Duration ackTimeout;
    private final int maxRequestSize;

    /**
     * @param template       template with a byte-array value serializer
     * @param ackTimeout     how long to wait for the acknowledgement
     * @param maxRequestSize the template's producer {@code max.request.size}, bytes
     */
    public DeadLetterPublisher(KafkaTemplate<String, byte[]> template, Duration ackTimeout, int maxRequestSize) {
        this.template = template;
        this.ackTimeout = ackTimeout;
        this.maxRequestSize = maxRequestSize;
    }

    /**
     * @param topic  the dead-letter topic
     * @param source where the original record is
     * @param key    the original record key (bounded here)
     * @param value  the original record value, unchanged
     * @param stage  the stage that gave up
     * @param reason why (no secrets; bounded here)
     * @return whether the value was copied (false: the record only points at the original)
     * @throws TransientException when Kafka does not acknowledge within the timeout
     * @throws PermanentException when Kafka refuses even the record without a value
     */
    public boolean deadLetter(String topic, SourceRecord source, @Nullable String key, byte @Nullable [] value,
            FailureStage stage, String reason) {
        String boundedKey = Bounded.idOrNull(key);
        ProducerRecord<String, byte[]> copy = record(topic, source, boundedKey, value, stage, Bounded.reason(reason));
        if (value != null && fits(copy)) {
            try {
                send(copy);
                return true;
            } catch (PermanentException e) {
                // the broker's limit (max.message.bytes) may be below the producer's: fall back to a reference
                log.warn("{} refused the copy of {} ({}); dead-lettering a reference to it instead", topic,
                        source.locator(), KafkaRefusals.describe(e.getCause()));
            }
        }
        String note = value == null ? "" : "original value (" + value.length + " bytes) not copied, see the "
                + Headers.PREFIX + "source_* headers; ";
        send(record(topic, source, boundedKey, null, stage, Bounded.reason(note + reason)));
        return false;
    }

    private boolean fits(ProducerRecord<String, byte[]> record) {
        long size = RECORD_OVERHEAD + (record.key() == null ? 0 : utf8(record.key()).length)
                + (record.value() == null ? 0 : record.value().length);
        for (Header header : record.headers()) {
            size += HEADER_OVERHEAD + utf8(header.key()).length + header.value().length;
        }
        return size <= maxRequestSize;
    }

    private static ProducerRecord<String, byte[]> record(String topic, SourceRecord source, @Nullable String key,
            byte @Nullable [] value, FailureStage stage, String reason) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        record.headers().add(Headers.FAILURE_STAGE, utf8(stage.wireName()));
        record.headers().add(Headers.FAILURE_REASON, utf8(reason));
        record.headers().add(Headers.SOURCE_TOPIC, utf8(source.topic()));
        record.headers().add(Headers.SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
        record.headers().add(Headers.SOURCE_OFFSET, utf8(Long.toString(source.offset())));
        return record;
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            Acks.sendAndAwait(() -> template.send(record), ackTimeout, "a record on " + record.topic());
        } catch (PublishException e) {
            if (KafkaRefusals.isPermanent(e.getCause())) {
                throw new PermanentException("Kafka refused a record on " + record.topic() + ": "
                        + KafkaRefusals.describe(e.getCause()), e.getCause());
            }
            throw e;
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
