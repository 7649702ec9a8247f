package io.klingrelay.submitter.config;

import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.publish.EventPublisher;
import io.klingrelay.coordination.task.TaskLedger;
import io.klingrelay.klingclient.api.KlingClient;
import io.klingrelay.klingclient.config.CallbackProperties;
import io.klingrelay.klingclient.config.KlingProperties;
import io.klingrelay.submitter.admin.AdmissionOperations;
import io.klingrelay.submitter.dispatch.CallbackUrls;
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

    @Bean
    TaskDispatch taskDispatch(KlingClient kling, RequestQueue queue, EventPublisher publisher, JsonMapper jsonMapper,
            CallbackProperties callback, SubmitterProperties properties, SubmitterMetrics metrics, Clock clock) {
        return new TaskDispatch(kling, queue, publisher, jsonMapper, new CallbackUrls(callback), properties, metrics,
                clock);
    }

    @Bean
    SubmitterMetrics submitterMetrics(MeterRegistry registry) {
        return new SubmitterMetrics(registry);
    }

    @Bean
    AdmissionOperations admissionOperations(RequestQueue queue, KlingProperties kling, EventPublisher publisher,
            SubmitterMetrics metrics, Clock clock) {
        return new AdmissionOperations(queue, kling, publisher, metrics, clock);
    }

    @Bean
    PermitReconciler permitReconciler(RequestQueue queue, TaskLedger ledger, KlingClient kling,
            SubmitterProperties properties, Clock clock) {
        return new PermitReconciler(queue, ledger, kling, properties, clock);
    }

    @Bean
    Dispatcher dispatcher(RequestQueue queue, KlingProperties kling, TaskDispatch taskDispatch,
            PermitReconciler permitReconciler, SubmitterMetrics metrics, SubmitterProperties properties) {
        return new Dispatcher(queue, kling, taskDispatch, permitReconciler, metrics, properties);
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
