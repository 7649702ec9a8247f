package io.klingrelay.coordination.redis;

import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.dispatch.AdmissionPolicy;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.task.TaskLedger;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Beans for the services that share Redis state; import it with
 * {@code @Import(CoordinationConfiguration.class)}. Needs Boot's {@link StringRedisTemplate}
 * (from {@code spring.data.redis.*}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({CoordinationProperties.class, AdmissionPolicy.class})
public class CoordinationConfiguration {

    /** @param properties layout settings @return the key layout */
    @Bean
    RedisKeys redisKeys(CoordinationProperties properties) {
        return new RedisKeys(properties.keyPrefix());
    }

    /** @return the UTC system clock, unless a test supplies another */
    @Bean
    Clock coordinationClock() {
        return Clock.systemUTC();
    }

    @Bean
    RequestQueue requestQueue(StringRedisTemplate redis, RedisKeys keys, Clock coordinationClock,
            CoordinationProperties properties, AdmissionPolicy admission) {
        return new RequestQueue(redis, keys, coordinationClock, properties.seenTtl(), admission);
    }

    @Bean
    TaskLedger taskLedger(StringRedisTemplate redis, RedisKeys keys, Clock coordinationClock,
            CoordinationProperties properties) {
        return new TaskLedger(redis, keys, coordinationClock, properties.staleClaimAge(), properties.taskRecordTtl());
    }
}
