package io.klingrelay.coordination.config;

import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.admission.AccountAdmission;
import io.klingrelay.coordination.admission.AdmissionPolicy;
import io.klingrelay.coordination.dispatch.Dispatches;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.health.KafkaHealthIndicator;
import io.klingrelay.coordination.outcome.OutcomeLedger;
import io.klingrelay.coordination.permit.Permits;
import io.klingrelay.coordination.redis.CoordinationProperties;
import io.klingrelay.coordination.redis.LuaScripts;
import io.klingrelay.coordination.redis.RedisDurabilityCheck;
import io.klingrelay.coordination.task.TaskLedger;
import io.klingrelay.coordination.trace.RequestTraces;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.kafka.core.KafkaAdmin;
import tools.jackson.databind.json.JsonMapper;

/**
 * Beans for the services that share Redis state; import it with
 * {@code @Import(CoordinationConfiguration.class)}. Needs Boot's {@link StringRedisTemplate}
 * (from {@code spring.data.redis.*}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({CoordinationProperties.class, AdmissionPolicy.class})
public class CoordinationConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CoordinationConfiguration.class);

    /** @param properties layout settings @return the key layout */
    @Bean
    RedisKeys redisKeys(CoordinationProperties properties) {
        return new RedisKeys(properties.keyPrefix());
    }

    /**
     * Kafka in {@code /actuator/health} as contributor {@code kafka}, so the readiness group can
     * include it ({@code management.endpoint.health.group.readiness.include}); Redis has Boot's own.
     *
     * @param kafkaAdmin Boot's Kafka admin settings, when Kafka is configured
     * @return the indicator, answering within 2 s
     */
    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(ObjectProvider<KafkaAdmin> kafkaAdmin) {
        return new KafkaHealthIndicator(kafkaAdmin, Duration.ofSeconds(2));
    }

    /** @return the UTC system clock, unless a test supplies another */
    @Bean
    Clock coordinationClock() {
        return Clock.systemUTC();
    }

    /**
     * Loads every Lua script into Redis at start-up (SCRIPT LOAD), so the first atomic step after a
     * start runs as EVALSHA like every later one instead of paying a NOSCRIPT round trip and a
     * compile on the hot path. A Redis that is down at start-up only costs that round trip later.
     */
    @Bean
    ApplicationRunner luaScriptLoader(StringRedisTemplate redis) {
        return arguments -> {
            try {
                for (RedisScript<?> script : LuaScripts.ALL) {
                    byte[] source = script.getScriptAsString().getBytes(StandardCharsets.UTF_8);
                    redis.execute((RedisCallback<String>) connection -> connection.scriptingCommands().scriptLoad(source));
                }
            } catch (DataAccessException e) {
                log.warn("could not load the Lua scripts into Redis at start-up: {}", e.getMessage());
            }
        };
    }

    /**
     * Refuses to start on a Redis without AOF persistence (or warns loudly with
     * {@code klingrelay.redis.allow-non-persistent=true}); runs while the context starts, before
     * any Kafka listener could park a request in it.
     */
    @Bean
    RedisDurabilityCheck redisDurabilityCheck(StringRedisTemplate redis, CoordinationProperties properties) {
        return new RedisDurabilityCheck(redis, properties.allowNonPersistent());
    }

    @Bean
    RequestQueue requestQueue(StringRedisTemplate redis, RedisKeys keys, Clock coordinationClock,
            CoordinationProperties properties) {
        return new RequestQueue(redis, keys, coordinationClock, properties.seenTtl());
    }

    @Bean
    Dispatches dispatches(StringRedisTemplate redis, RedisKeys keys, Clock coordinationClock, AdmissionPolicy admission) {
        return new Dispatches(redis, keys, coordinationClock, admission);
    }

    @Bean
    Permits permits(StringRedisTemplate redis, RedisKeys keys, Clock coordinationClock) {
        return new Permits(redis, keys, coordinationClock);
    }

    @Bean
    AccountAdmission accountAdmission(StringRedisTemplate redis, RedisKeys keys, Permits permits) {
        return new AccountAdmission(redis, keys, permits);
    }

    @Bean
    OutcomeLedger outcomeLedger(StringRedisTemplate redis, RedisKeys keys, ObjectProvider<JsonMapper> jsonMapper,
            Clock coordinationClock, CoordinationProperties properties) {
        return new OutcomeLedger(redis, keys, jsonMapper.getIfAvailable(EventJson::mapper), coordinationClock,
                properties.seenTtl());
    }

    /**
     * The request's trace across Redis and Kling (README "Traces"); records nothing when tracing
     * is off (no Micrometer Tracing bridge on the classpath).
     */
    @Bean
    RequestTraces requestTraces(ObjectProvider<ObservationRegistry> registry, ObjectProvider<Tracer> tracer,
            ObjectProvider<Propagator> propagator) {
        return new RequestTraces(registry.getIfAvailable(() -> ObservationRegistry.NOOP),
                tracer.getIfAvailable(() -> Tracer.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP));
    }

    @Bean
    TaskLedger taskLedger(StringRedisTemplate redis, RedisKeys keys, Clock coordinationClock,
            CoordinationProperties properties) {
        return new TaskLedger(redis, keys, coordinationClock, properties.staleClaimAge(), properties.taskRecordTtl());
    }
}
