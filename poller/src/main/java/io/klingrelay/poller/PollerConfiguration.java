package io.klingrelay.poller;

import static io.klingrelay.coordination.trace.RequestTraces.registryOrNoop;

import io.klingrelay.common.kafka.Topics;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.config.CoordinationConfiguration;
import io.klingrelay.coordination.publish.EventProducers;
import io.klingrelay.coordination.publish.EventPublisher;
import io.klingrelay.coordination.task.QueryRateLimit;
import io.klingrelay.coordination.task.TaskLedger;
import io.klingrelay.coordination.trace.ObservedHttpClient;
import io.klingrelay.coordination.trace.RequestTraces;
import io.klingrelay.klingclient.api.KlingCallMetrics;
import io.klingrelay.klingclient.api.KlingClient;
import io.klingrelay.klingclient.api.KlingTaskQueries;
import io.klingrelay.klingclient.config.KlingProperties;
import io.klingrelay.poller.config.PollerProperties;
import io.klingrelay.poller.config.QueryProperties;
import io.klingrelay.poller.config.ScheduleProperties;
import io.klingrelay.poller.polling.BatchLookup;
import io.klingrelay.poller.polling.ExpectedDurations;
import io.klingrelay.poller.polling.PollSchedule;
import io.klingrelay.poller.polling.PollScheduler;
import io.klingrelay.poller.polling.TaskPoller;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Beans of the poller. Imports the shared Redis coordination beans ({@link TaskLedger}); the
 * Kafka producer is built on Boot's {@code spring.kafka.*} properties with {@code acks=all},
 * idempotence on and JSON values through Boot's {@link JsonMapper} (no type headers).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({KlingProperties.class, PollerProperties.class, ScheduleProperties.class,
        QueryProperties.class})
@Import(CoordinationConfiguration.class)
public class PollerConfiguration {

    /** @param properties Kling settings @param jsonMapper Boot's JSON mapper @return the Kling client */
    @Bean
    KlingClient klingClient(KlingProperties properties, JsonMapper jsonMapper, MeterRegistry meterRegistry,
            ObjectProvider<ObservationRegistry> observations) {
        ObservationRegistry registry = registryOrNoop(observations);
        return KlingClient.create(properties, jsonMapper, new KlingCallMetrics(meterRegistry),
                http -> new ObservedHttpClient(http, registry));
    }

    /**
     * @param kafka      Boot's Kafka properties
     * @param jsonMapper Boot's JSON mapper
     * @param properties the publish timeout
     * @param observations Boot's observation registry (a span per send when Kafka observation is on)
     * @return the publisher (acks=all, idempotent, waits for every acknowledgement)
     */
    @Bean
    EventPublisher eventPublisher(KafkaProperties kafka, JsonMapper jsonMapper, PollerProperties properties,
            ObjectProvider<ObservationRegistry> observations) {
        return EventProducers.publisher(kafka, jsonMapper, properties.publishTimeout(), registryOrNoop(observations));
    }

    /**
     * Creates the producer and fetches the topics' metadata at start-up, so that the first terminal
     * event is not slower than the others (measured: the first callbacks after a start took ~0.9 s).
     *
     * @param publisher the publisher
     * @return the warm-up step
     */
    @Bean
    ApplicationRunner warmUpEventPublisher(EventPublisher publisher) {
        return arguments -> publisher.warmUp(Topics.TASKS_STATUS, Topics.TASKS_COMPLETED);
    }

    /**
     * @param properties the number of query threads
     * @return the executor that bounds concurrent Kling queries (virtual threads, fixed count)
     */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService pollerQueryExecutor(PollerProperties properties) {
        return Executors.newFixedThreadPool(properties.queryThreads(),
                Thread.ofVirtual().name("poller-query-", 0).factory());
    }

    /**
     * @return the list endpoint's client (issue 9 batch queries), timed like {@link KlingClient}'s calls
     */
    @Bean
    KlingTaskQueries klingTaskQueries(KlingProperties properties, JsonMapper jsonMapper, MeterRegistry meterRegistry,
            ObjectProvider<ObservationRegistry> observations) {
        ObservationRegistry registry = registryOrNoop(observations);
        return KlingTaskQueries.create(properties, jsonMapper, new KlingCallMetrics(meterRegistry),
                http -> new ObservedHttpClient(http, registry));
    }

    /** @return the per-account query rate limit, shared by every poller instance through Redis */
    @Bean
    QueryRateLimit queryRateLimit(StringRedisTemplate redis, RedisKeys keys, QueryProperties queries) {
        return new QueryRateLimit(redis, keys, queries.ratePerSecond());
    }

    /** @return when tasks are looked at: learned expected ends, then a jittered back-off */
    @Bean
    PollSchedule pollSchedule(PollerProperties properties, ScheduleProperties schedule) {
        return new PollSchedule(new ExpectedDurations(schedule), schedule, properties.grace(), properties.recheck(),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    @Bean
    TaskPoller taskPoller(TaskLedger ledger, KlingClient client, KlingProperties kling, PollerProperties properties,
            EventPublisher publisher, ExecutorService pollerQueryExecutor, MeterRegistry meterRegistry, Clock clock,
            RequestTraces traces, PollSchedule schedule, KlingTaskQueries taskQueries, QueryRateLimit rateLimit,
            QueryProperties queries) {
        return new TaskPoller(ledger, client, kling, properties, publisher, pollerQueryExecutor, meterRegistry, clock,
                traces, schedule, new BatchLookup(taskQueries, queries, rateLimit::acquire), rateLimit::acquire,
                queries);
    }

    @Bean
    PollScheduler pollScheduler(TaskPoller poller, PollerProperties properties, MeterRegistry meterRegistry) {
        return new PollScheduler(poller, properties.effectiveSweepInterval(), meterRegistry);
    }
}
