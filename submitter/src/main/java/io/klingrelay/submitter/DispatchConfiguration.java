package io.klingrelay.submitter;

import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.admission.AccountAdmission;
import io.klingrelay.coordination.dispatch.Dispatches;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.outcome.OutboxSweeper;
import io.klingrelay.coordination.outcome.OutcomeLedger;
import io.klingrelay.coordination.outcome.OutcomePublisher;
import io.klingrelay.coordination.permit.Permits;
import io.klingrelay.coordination.publish.EventPublisher;
import io.klingrelay.coordination.redis.CoordinationProperties;
import io.klingrelay.coordination.task.TaskLedger;
import io.klingrelay.coordination.trace.RequestTraces;
import io.klingrelay.klingclient.api.KlingClient;
import io.klingrelay.klingclient.config.CallbackProperties;
import io.klingrelay.klingclient.config.KlingProperties;
import io.klingrelay.submitter.admin.AdmissionOperations;
import io.klingrelay.submitter.config.SubmitterProperties;
import io.klingrelay.submitter.dispatch.CallbackUrls;
import io.klingrelay.submitter.dispatch.DispatchLeaseKeeper;
import io.klingrelay.submitter.dispatch.Dispatcher;
import io.klingrelay.submitter.dispatch.PermitReconciler;
import io.klingrelay.submitter.dispatch.TaskDispatch;
import io.klingrelay.submitter.metrics.SubmitterMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import tools.jackson.databind.json.JsonMapper;

/** Wires dispatch (intake: {@link IntakeConfiguration}). */
@Configuration(proxyBeanMethods = false)
public class DispatchConfiguration {

    private static final int OUTBOX_BATCH = 500;

    @Bean
    OutcomePublisher outcomePublisher(OutcomeLedger ledger, EventPublisher publisher) {
        return new OutcomePublisher(ledger, publisher, TaskDispatch.CLAIMANT);
    }

    @Bean
    OutboxSweeper outboxSweeper(OutcomeLedger ledger, OutcomePublisher outcomePublisher,
            CoordinationProperties coordination, Clock clock) {
        return new OutboxSweeper(ledger, outcomePublisher, clock, coordination.staleClaimAge(), OUTBOX_BATCH);
    }

    @Bean(destroyMethod = "close")
    DispatchLeaseKeeper dispatchLeaseKeeper(Dispatches dispatches, SubmitterProperties properties) {
        return new DispatchLeaseKeeper(dispatches, properties.dispatchLease());
    }

    @Bean
    TaskDispatch taskDispatch(KlingClient kling, Dispatches dispatches, OutcomePublisher outcomePublisher,
            EventPublisher publisher, JsonMapper jsonMapper, CallbackProperties callback, SubmitterProperties properties,
            DispatchLeaseKeeper dispatchLeaseKeeper, SubmitterMetrics metrics, Clock clock) {
        return new TaskDispatch(kling, dispatches, outcomePublisher, publisher, jsonMapper, new CallbackUrls(callback),
                properties, dispatchLeaseKeeper, metrics, clock);
    }

    @Bean
    SubmitterMetrics submitterMetrics(MeterRegistry registry) {
        return new SubmitterMetrics(registry);
    }

    @Bean
    AdmissionOperations admissionOperations(RequestQueue queue, AccountAdmission admission, KlingProperties kling,
            OutcomePublisher outcomePublisher, SubmitterMetrics metrics, Clock clock) {
        return new AdmissionOperations(queue, admission, kling, outcomePublisher, metrics, clock);
    }

    @Bean
    PermitReconciler permitReconciler(Permits permits, Dispatches dispatches, TaskLedger ledger, KlingClient kling,
            SubmitterProperties properties, Clock clock) {
        return new PermitReconciler(permits, dispatches, ledger, kling, properties, clock);
    }

    @Bean
    Dispatcher dispatcher(RequestQueue queue, AccountAdmission admission, OutboxSweeper outboxSweeper,
            KlingProperties kling, TaskDispatch taskDispatch, PermitReconciler permitReconciler, SubmitterMetrics metrics,
            SubmitterProperties properties, RequestTraces traces) {
        return new Dispatcher(queue, admission, outboxSweeper, kling, taskDispatch, permitReconciler, metrics,
                properties, traces);
    }

    /** Permit releases (from any instance or service) wake this instance's dispatcher at once. */
    @Bean
    RedisMessageListenerContainer dispatchWakeups(RedisConnectionFactory connectionFactory, RedisKeys keys,
            Dispatcher dispatcher) {
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connectionFactory);
        container.addMessageListener((message, pattern) -> dispatcher.wake(), new ChannelTopic(keys.dispatchChannel()));
        return container;
    }
}
