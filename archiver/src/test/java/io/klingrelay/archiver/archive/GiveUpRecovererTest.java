package io.klingrelay.archiver.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.error.TransientException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.KafkaHeaders;

class GiveUpRecovererTest {

    private static final Duration GIVE_UP_AFTER = Duration.ofHours(24);

    @Test
    void namesTheDeliveriesTheSettingAndTheLastErrorOfARedeliveredTask() {
        ConsumerRecord<String, String> record = recordDelivered(37);
        Exception error = new ListenerExecutionFailedException("listener failed", new ObjectStoreUnavailableException(
                "object storage: cannot stat an object in bucket b: ConnectException", new IllegalStateException()));

        assertThat(GiveUpRecoverer.reason(record, error, GIVE_UP_AFTER)).isEqualTo("archiving gave up after 37 "
                + "deliveries (klingrelay.archiver.store-outage.give-up-after PT24H): object storage: cannot stat an "
                + "object in bucket b: ConnectException");
    }

    @Test
    void namesTheLastErrorOfATaskThatFailedForAnotherReason() {
        Exception error = new ListenerExecutionFailedException("listener failed",
                new TransientException("Kafka did not acknowledge the event on klingrelay.assets.archived"));

        assertThat(GiveUpRecoverer.reason(recordDelivered(5), error, GIVE_UP_AFTER)).isEqualTo("archiving gave up "
                + "after 5 deliveries: Kafka did not acknowledge the event on klingrelay.assets.archived");
    }

    @Test
    void namesOnlyTheClassOfAnUnexpectedError() {
        Exception error = new ListenerExecutionFailedException("listener failed",
                new IllegalStateException("http://cdn/x.mp4?Signature=s3cr3t"));
        ConsumerRecord<String, String> withoutHeader = new ConsumerRecord<>("t", 0, 0, "key", "value");

        assertThat(GiveUpRecoverer.reason(withoutHeader, error, GIVE_UP_AFTER))
                .isEqualTo("archiving gave up after several deliveries: unexpected IllegalStateException");
    }

    private static ConsumerRecord<String, String> recordDelivered(int times) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>("t", 0, 0, "key", "value");
        record.headers().add(KafkaHeaders.DELIVERY_ATTEMPT, ByteBuffer.allocate(Integer.BYTES).putInt(times).array());
        return record;
    }
}
