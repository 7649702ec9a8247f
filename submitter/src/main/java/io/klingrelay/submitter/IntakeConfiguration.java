package io.klingrelay.submitter;

import io.klingrelay.common.error.PermanentException;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.outcome.OutcomePublisher;
import io.klingrelay.coordination.trace.RequestTraces;
import io.klingrelay.klingclient.request.RequestValidator;
import io.klingrelay.submitter.config.SubmitterProperties;
import io.klingrelay.submitter.dispatch.Dispatcher;
import io.klingrelay.submitter.intake.IntakeRecoverer;
import io.klingrelay.submitter.intake.RequestIntake;
import io.klingrelay.submitter.publish.DeadLetterPublisher;
import io.klingrelay.submitter.publish.KafkaRefusals;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Wires intake: the request handler and the error handling of its Kafka listener. */
@Configuration(proxyBeanMethods = false)
public class IntakeConfiguration {

    /** First retry delay of a record whose handling failed, ms. */
    static final long FIRST_RETRY_MS = 500;
    /** Longest retry delay of a record whose handling failed, ms. */
    static final long MAX_RETRY_MS = 30_000;

    @Bean
    RequestIntake requestIntake(JsonMapper jsonMapper, RequestValidator validator, RequestQueue queue,
            OutcomePublisher outcomePublisher, DeadLetterPublisher deadLetters, Dispatcher dispatcher, Clock clock,
            SubmitterProperties properties, RequestTraces traces) {
        return new RequestIntake(jsonMapper, validator, queue, outcomePublisher, deadLetters, dispatcher::wake, clock,
                properties.maxRequestSize().toBytes(), traces);
    }

    /**
     * The intake listener's error handler (Boot's listener container factory picks up the one
     * {@link CommonErrorHandler} bean). A record whose handling threw is retried, its offset not
     * committed, with a back-off from 0.5 s doubling to 30 s for at most
     * {@code klingrelay.submitter.intake-give-up-after}; an error that no retry can change is not
     * retried at all: {@link PermanentException}, Kafka's {@linkplain KafkaRefusals#PERMANENT
     * permanent refusals}, {@link JacksonException}, {@link IllegalArgumentException} and
     * {@link NullPointerException} (anywhere in the cause chain), besides spring-kafka's defaults.
     * Then {@link IntakeRecoverer} fails and dead-letters the record; only if Kafka is unreachable
     * does that throw, and the record is retried from the start.
     */
    @Bean
    CommonErrorHandler intakeErrorHandler(RequestIntake intake, SubmitterProperties properties) {
        DefaultErrorHandler handler = new DefaultErrorHandler(new IntakeRecoverer(intake),
                intakeBackOff(properties.intakeGiveUpAfter()));
        handler.addNotRetryableExceptions(PermanentException.class, JacksonException.class,
                IllegalArgumentException.class, NullPointerException.class);
        KafkaRefusals.PERMANENT.forEach(type -> handler.addNotRetryableExceptions(type));
        return handler;
    }

    /**
     * @param giveUpAfter the sum of the delays after which retrying stops
     * @return 0.5 s, 1 s, 2 s … up to 30 s between attempts, until the delays add up to {@code giveUpAfter}
     */
    static ExponentialBackOff intakeBackOff(Duration giveUpAfter) {
        ExponentialBackOff backOff = new ExponentialBackOff(FIRST_RETRY_MS, 2.0);
        backOff.setMaxInterval(MAX_RETRY_MS);
        backOff.setMaxElapsedTime(giveUpAfter.toMillis());
        return backOff;
    }
}
