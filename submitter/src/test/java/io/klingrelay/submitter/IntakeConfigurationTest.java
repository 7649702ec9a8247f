package io.klingrelay.submitter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.any;
import static org.mockito.BDDMockito.mock;
import static org.mockito.BDDMockito.never;
import static org.mockito.BDDMockito.then;

import io.klingrelay.coordination.publish.PublishException;
import io.klingrelay.submitter.config.SubmitterProperties;
import io.klingrelay.submitter.intake.RequestIntake;
import io.klingrelay.submitter.publish.SourceRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.unit.DataSize;

class IntakeConfigurationTest {

    private final RequestIntake intake = mock(RequestIntake.class);
    private final ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("klingrelay.requests", 0, 5, "k",
            new byte[] {'{', '}'});

    private CommonErrorHandler handler() {
        SubmitterProperties properties = new SubmitterProperties(Duration.ofHours(2), Duration.ofSeconds(60),
                Duration.ofSeconds(1), 16, 6, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(2), 20,
                null, DataSize.ofMegabytes(32), Duration.ofMinutes(5), 3);
        return new IntakeConfiguration().intakeErrorHandler(intake, properties);
    }

    @Test
    void deadLettersAtOnceARecordThatKafkaRefusesForGood() {
        Exception refused = new ListenerExecutionFailedException("listener failed",
                new PublishException("Kafka refused an event", new RecordTooLargeException("1.4 MB")));

        boolean recovered = handler().handleOne(refused, record, mock(Consumer.class), mock(MessageListenerContainer.class));

        assertThat(recovered).isTrue();
        then(intake).should().abandon(new SourceRecord("klingrelay.requests", 0, 5), "k", record.value(), refused);
    }

    @Test
    void retriesARecordThatMetATransientFailure() {
        Exception redisDown = new ListenerExecutionFailedException("listener failed",
                new QueryTimeoutException("Redis command timed out"));

        boolean recovered = handler().handleOne(redisDown, record, mock(Consumer.class),
                mock(MessageListenerContainer.class));

        assertThat(recovered).isFalse();
        then(intake).should(never()).abandon(any(), any(), any(), any());
    }

    @Test
    void stopsRetryingOnceTheDelaysAddUpToTheGiveUpTime() {
        BackOff backOff = IntakeConfiguration.intakeBackOff(Duration.ofMinutes(5));

        BackOffExecution execution = backOff.start();
        List<Long> delays = new ArrayList<>();
        for (long delay = execution.nextBackOff(); delay != BackOffExecution.STOP && delays.size() < 1000;
                delay = execution.nextBackOff()) {
            delays.add(delay);
        }

        assertThat(delays).startsWith(500L, 1000L, 2000L).hasSizeLessThan(30).allSatisfy(d -> assertThat(d)
                .isLessThanOrEqualTo(30_000L));
        assertThat(delays.stream().mapToLong(Long::longValue).sum()).isBetween(270_000L, 330_000L);
    }
}
